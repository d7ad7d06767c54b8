"""Real app servers for the platform tests: gunicorn instances started as the README does.

Each instance is `gunicorn ctaxoffice.wsgi --workers 2 --threads 4` on a free loopback
port, debug off, over one database (a temporary SQLite file, or a fresh PostgreSQL
database) and, when given, one Redis. The first instance also serves the sandbox, the
upstream of all of them. Everything started here is stopped (and the PostgreSQL
database dropped) when the `Cluster` closes.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

BASE_DIR = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
USERNAME = "platform"
START_TIMEOUT = 60
REDIS_URL = os.environ.get("CTAX_TEST_REDIS_URL", "redis://127.0.0.1:6379/2")


# --- are PostgreSQL and Redis here? ---------------------------------------------------


def _unavailable(what: str, why: str) -> None:
    """Skip (one line), or fail when CI demands the real engines (CTAX_REQUIRE_SERVICES=1)."""
    message = f"{what} not available: {why}"
    if os.environ.get("CTAX_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{message} (CTAX_REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(message)


def require_postgresql() -> None:
    if shutil.which("pg_isready") is None or shutil.which("createdb") is None:
        _unavailable("PostgreSQL", "pg_isready/createdb not installed")
    done = subprocess.run(["pg_isready", "-q"], check=False, timeout=10)
    if done.returncode != 0:
        _unavailable("PostgreSQL", "pg_isready says it does not answer")


def require_redis() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.RedisError as exc:
        _unavailable("Redis", f"{REDIS_URL} does not answer ({type(exc).__name__})")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


# --- the servers ----------------------------------------------------------------------


@dataclass
class Instance:
    name: str
    port: int
    proc: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()  # gunicorn's master stops its workers
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)


@dataclass
class Cluster:
    """One database (+ optional shared cache), N instances; the first serves the sandbox."""

    postgres: bool = False
    redis: bool = False
    tmp: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="ctax-platform-")))
    instances: list[Instance] = field(default_factory=list)
    password: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    api_key: str = field(default_factory=lambda: "k-" + secrets.token_urlsafe(16))
    first_port: int = field(default_factory=free_port)
    db_name: str = ""

    def __post_init__(self):
        if self.postgres:
            self.db_name = f"ctax_platform_{uuid.uuid4().hex[:10]}"
            subprocess.run(["createdb", self.db_name], check=True, timeout=30)
        database = (
            f"postgres:///{self.db_name}"
            if self.postgres
            else f"sqlite:///{self.tmp / 'app.sqlite3'}"
        )
        inherited = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "CTAX_", "DATABASE_URL", "CACHE_URL", "PYTHON"))
        }
        self.env = {
            **inherited,
            "DJANGO_SETTINGS_MODULE": "ctaxoffice.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_HTTPS": "0",
            "DJANGO_ALLOWED_HOSTS": HOST,
            "DJANGO_STATIC_ROOT": str(self.tmp / "static"),
            "DATABASE_URL": database,
            "CTAX_SANDBOX_ENABLED": "1",
            "CTAX_SANDBOX_API_KEY": self.api_key,
            "CTAX_API_KEY": self.api_key,
            "CTAX_API_BASE_URL": f"http://{HOST}:{self.first_port}/sandbox/api/v1",
            "CTAX_API_TIMEOUT": "10",
            "DJANGO_SUPERUSER_PASSWORD": self.password,
        }
        if self.redis:
            self.env["CACHE_URL"] = REDIS_URL
            self.env["CTAX_CACHE_KEY_PREFIX"] = f"platform-{uuid.uuid4().hex[:10]}"

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def prepare(self, customers: int = 60) -> None:
        self.manage("migrate", "--noinput")
        self.manage("seed_sandbox", "--customers", str(customers))
        self.manage("createsuperuser", "--noinput", "--username", USERNAME, "--email", "p@x.test")
        self.manage(
            "shell", "-c", "from customers.demo import sync_branches_from_sandbox as s; s()"
        )
        self.manage("collectstatic", "--noinput")

    def start(self, count: int, *, workers: int = 2, threads: int = 4) -> list[Instance]:
        for n in range(count):
            port = self.first_port if not self.instances else free_port()
            log = self.tmp / f"app{len(self.instances)}.log"
            # the production command (docs/operations.md) (plus a log file, and no control socket:
            # gunicorn 27's default path would be shared by two instances).
            command = [
                str(VENV_BIN / "gunicorn"), "ctaxoffice.wsgi",
                "--workers", str(workers), "--threads", str(threads),
                "--bind", f"{HOST}:{port}",
                "--chdir", str(BASE_DIR), "--no-control-socket",
            ]  # fmt: skip
            with open(log, "ab") as out:
                proc = subprocess.Popen(
                    command, cwd=BASE_DIR, env=self.env, stdout=out, stderr=subprocess.STDOUT
                )
            instance = Instance(f"app{n}", port, proc, log)
            self.instances.append(instance)
            self._wait_ready(instance, workers)
        return self.instances

    def _wait_ready(self, instance: Instance, workers: int) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if instance.proc.poll() is not None:
                raise RuntimeError(f"{instance.name} died:\n{instance.log.read_text()[-3000:]}")
            try:
                if requests.get(f"{instance.url}/healthz", timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{instance.name} not ready:\n{instance.log.read_text()[-3000:]}")

    def close(self) -> None:
        for instance in self.instances:
            instance.stop()
        if self.postgres and self.db_name:
            subprocess.run(["dropdb", "--if-exists", self.db_name], check=False, timeout=30)
        shutil.rmtree(self.tmp, ignore_errors=True)

    # --- clients --------------------------------------------------------------------

    def login(self, instance: Instance, password: str | None = None) -> requests.Response:
        session = requests.Session()
        url = f"{instance.url}/accounts/login/"
        answer = session.post(
            url,
            data={
                "username": USERNAME,
                "password": password or self.password,
                "csrfmiddlewaretoken": csrf_token(session.get(url, timeout=30).text),
                "next": "/customers/",
            },
            allow_redirects=False,
            timeout=30,
        )
        answer.session = session
        return answer

    def upstream(self) -> requests.Session:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {self.api_key}"
        return session


def csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def hidden_value(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)
