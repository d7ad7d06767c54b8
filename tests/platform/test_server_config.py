"""gunicorn.conf.py: the production server's settings, each overridable from the environment."""

from __future__ import annotations

import gc
import runpy
from pathlib import Path

from gunicorn.config import Config

CONFIG = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
KEYS = ("wsgi_app", "bind", "worker_class", "workers", "threads", "keepalive")


def read(monkeypatch, **environ) -> dict:
    for name in ("WEB_CONCURRENCY", "CTAX_THREADS", "CTAX_BIND", "CTAX_KEEPALIVE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    values = runpy.run_path(str(CONFIG))
    return {key: values[key] for key in KEYS}


def test_the_defaults_hold_many_requests_waiting_on_the_upstream(monkeypatch):
    assert read(monkeypatch) == {
        "wsgi_app": "ctaxoffice.wsgi",
        "bind": "0.0.0.0:8000",
        "worker_class": "gthread",
        "workers": 4,
        "threads": 64,
        "keepalive": 75,  # longer than a load balancer's usual 60 s idle timeout
    }


def test_each_value_comes_from_the_environment_when_set(monkeypatch):
    config = read(
        monkeypatch,
        WEB_CONCURRENCY="3",
        CTAX_THREADS="16",
        CTAX_BIND="127.0.0.1:9000",
        CTAX_KEEPALIVE="120",
    )
    assert (config["workers"], config["threads"]) == (3, 16)
    assert (config["bind"], config["keepalive"]) == ("127.0.0.1:9000", 120)


def test_each_worker_takes_what_it_loaded_at_start_out_of_the_collectors_scans():
    hook = runpy.run_path(str(CONFIG))["post_worker_init"]
    Config().set("post_worker_init", hook)  # gunicorn accepts it as that hook
    gc.unfreeze()
    try:
        hook(worker=None)
        assert gc.get_freeze_count() > 1000  # this test process's modules, at least
    finally:
        gc.unfreeze()
