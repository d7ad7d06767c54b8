import json
import time

import pytest
from django.core.management import call_command

from sandbox import faults


def test_faults_are_off_by_default(api, abc):
    assert faults.get_faults() == {
        "latency_ms": 0,
        "status": None,
        "retry_after": None,
        "hang_seconds": 0.0,
        "body": None,
        "fraction": 1.0,
        "paths": None,
    }
    assert api.get("/customers").status_code == 200


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (500, "Server Error"),
        (502, "Bad Gateway"),
        (503, "Service Unavailable"),
        (429, "Too Many Attempts."),
        (401, "Unauthenticated."),
        (403, "This action is unauthorized."),
        (504, "Gateway Timeout"),
        (418, "I'm a Teapot"),
    ],
)
def test_forced_status(api, abc, status, message):
    faults.set_faults(status=status)
    response = api.get("/customers")
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "error", "message": message}
    assert not response.has_header("Retry-After")


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after(api, abc, status):
    faults.set_faults(status=status, retry_after=7)
    response = api.get(f"/customers/{abc.id}")
    assert response.status_code == status
    assert response["Retry-After"] == "7"


def test_status_fault_hits_writes_too(api, sandbox_branches):
    faults.set_faults(status=500)
    body = {"branch_id": "00", "customer_no": "C1", "custNm": "X"}
    assert api.post("/customers", body).status_code == 500
    faults.clear_faults()
    assert api.post("/customers", body).status_code == 201


def test_not_json_body(api, abc):
    faults.set_faults(body="not_json")
    response = api.get("/customers")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)


def test_truncated_body(api, abc):
    faults.set_faults(body="truncated", status=200)
    response = api.get("/customers")
    assert response["Content-Type"] == "application/json"
    assert response.content.startswith(b'{"status":"success"')
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)


@pytest.mark.parametrize(
    ("body", "expected"),
    [("wrong_shape", {"status": "success", "data": "oops"}), ("json_list", ["oops", 1, None])],
)
def test_wrong_shape_bodies(api, abc, body, expected):
    faults.set_faults(body=body)
    response = api.get("/customers/search", {"q": "abc"})
    assert response.status_code == 200
    assert json.loads(response.content) == expected


def test_empty_body_with_status(api, abc):
    faults.set_faults(body="empty", status=502)
    response = api.get("/customers")
    assert response.status_code == 502
    assert response.content == b""


def test_paths_filter(api, abc):
    faults.set_faults(status=503, paths="/search")
    assert api.get("/customers/search", {"q": "abc"}).status_code == 503
    assert api.get("/customers").status_code == 200
    faults.set_faults(status=503, paths=["/transactions", "nothing"])
    assert api.get(f"/customers/{abc.id}/transactions").status_code == 503
    assert api.get(f"/customers/{abc.id}").status_code == 200


def test_fraction(api, abc, monkeypatch):
    faults.set_faults(status=503, fraction=0.0)
    assert all(api.get("/customers").status_code == 200 for _ in range(5))

    faults.set_faults(status=503, fraction=0.3)
    rolls = iter([0.1, 0.5, 0.29, 0.3, 0.99])
    monkeypatch.setattr(faults.random, "random", lambda: next(rolls))
    codes = [api.get("/customers").status_code for _ in range(5)]
    assert codes == [503, 200, 503, 200, 200]


def test_latency(api, abc):
    faults.set_faults(latency_ms=150)
    started = time.monotonic()
    response = api.get("/customers")
    assert time.monotonic() - started >= 0.15
    assert response.status_code == 200


def test_latency_from_environment(api, abc, monkeypatch):
    monkeypatch.setenv("CTAX_SANDBOX_LATENCY_MS", "120")
    started = time.monotonic()
    assert api.get("/customers").status_code == 200
    assert time.monotonic() - started >= 0.12
    monkeypatch.setenv("CTAX_SANDBOX_LATENCY_MS", "junk")
    assert api.get("/customers").status_code == 200


def test_hang_then_answer(api, abc):
    faults.set_faults(hang_seconds=0.3)
    started = time.monotonic()
    response = api.get(f"/customers/{abc.id}")
    assert time.monotonic() - started >= 0.3
    assert response.status_code == 200


def test_each_call_replaces_all_knobs(api, abc):
    faults.set_faults(status=503, retry_after=5)
    state = faults.set_faults(latency_ms=1)
    assert state["status"] is None and state["retry_after"] is None
    assert api.get("/customers").status_code == 200


def test_override_context_manager(api, abc):
    with faults.override(status=502):
        assert api.get("/customers").status_code == 502
    assert api.get("/customers").status_code == 200


@pytest.mark.parametrize(
    "knobs",
    [
        {"status": 42},
        {"fraction": 1.5},
        {"fraction": -0.1},
        {"body": "gibberish"},
        {"latency_ms": -1},
        {"hang_seconds": -2},
        {"retry_after": -3},
    ],
)
def test_nonsense_knobs_are_refused(db, knobs):
    with pytest.raises(ValueError):
        faults.set_faults(**knobs)


def test_management_command(api, abc, capsys):
    call_command("sandbox_faults", "--status", "503", "--fraction", "1", "--retry-after", "3")
    assert "ON" in capsys.readouterr().out
    assert api.get("/customers").status_code == 503

    call_command("sandbox_faults")
    out = capsys.readouterr().out
    assert '"status": 503' in out and '"retry_after": 3' in out

    call_command("sandbox_faults", "--latency-ms", "5", "--paths", "/search", "--paths", "/x")
    assert faults.get_faults()["paths"] == ["/search", "/x"]
    assert faults.get_faults()["status"] is None

    call_command("sandbox_faults", "--clear")
    assert "off" in capsys.readouterr().out
    assert not faults.is_active(faults.get_faults())
    assert api.get("/customers").status_code == 200
