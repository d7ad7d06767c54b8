"""Plumbing shared by run_bench.py and load.py: a throwaway stack of two gunicorn servers.

The app and the sandbox (its upstream) run as two gunicorn instances on free
loopback ports, over one temporary SQLite database, with DEBUG off and the
settings of bench/settings.py. The sandbox writes a tab-separated access log
(worker pid, client port, status, ms, method, path, user agent), from which the
scripts count upstream calls and upstream TCP connections; the app writes one
only when asked (run_bench.py's memory phase counts requests per worker). `Stack.close()`
stops every process started here and removes the temporary directory; it runs
on normal exit, on Ctrl+C, on SIGTERM and when the run's deadline passes.
"""

from __future__ import annotations

import math
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests

BASE_DIR = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
USERNAME = "bench"
APP_AGENT = "ctaxoffice/"  # User-Agent prefix of the app's upstream client
ACCESS_FORMAT = "\t".join(
    ["%(p)s", "%({remote_port}e)s", "%(s)s", "%(M)s", "%(m)s", "%(U)s", "%(a)s"]
)
SANDBOX_API = "/sandbox/api/v1"
START_TIMEOUT = 40


# --- processes and deadlines --------------------------------------------------------


class Deadline(Exception):
    """The run took longer than its --max-seconds."""


def install_deadline(seconds: int) -> None:
    """Raise Deadline (main thread) after `seconds`; SIGTERM ends the run as Ctrl+C does."""

    def on_alarm(signum, frame):
        raise Deadline(f"run stopped after its limit of {seconds} s")

    def on_term(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGALRM, on_alarm)
    signal.signal(signal.SIGTERM, on_term)
    signal.alarm(seconds)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def children_of(pid: int) -> list[int]:
    """Pids whose parent is `pid` (gunicorn workers of a master)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")


# --- access logs --------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    pid: int
    port: int
    status: int
    ms: int
    method: str
    path: str
    agent: str

    @property
    def from_app(self) -> bool:
        return self.agent.startswith(APP_AGENT)


def parse_access(line: str) -> Access | None:
    parts = line.rstrip("\n").split("\t")
    if len(parts) != 7:
        return None
    pid, port, status, ms, method, path, agent = parts
    return Access(int(pid.strip("<>")), int(port), int(status), int(ms), method, path, agent)


# --- servers ------------------------------------------------------------------------


@dataclass
class Server:
    name: str
    port: int
    proc: subprocess.Popen
    access_log: Path
    error_log: Path  # gunicorn's own
    output_log: Path  # the process's stdout and stderr: the app's own log lines

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def worker_pids(self) -> list[int]:
        return children_of(self.proc.pid)

    def log_offset(self) -> int:
        return self.access_log.stat().st_size if self.access_log.exists() else 0

    def accesses(self, start: int = 0, end: int | None = None) -> list[Access]:
        """Access-log records between two byte offsets (as from log_offset())."""
        if not self.access_log.exists():
            return []
        with self.access_log.open("rb") as log:
            log.seek(start)
            data = log.read() if end is None else log.read(max(end - start, 0))
        lines = data.decode("utf-8", "replace").splitlines()
        return [a for a in map(parse_access, lines) if a is not None]

    def error_tail(self, lines: int = 30) -> str:
        if not self.error_log.exists():
            return ""
        return "\n".join(self.error_log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.proc.poll() is not None:
            return
        self.proc.terminate()  # gunicorn's master stops its workers on SIGTERM
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)


class Stack:
    """A temporary database, the sandbox server and the app server, all on loopback."""

    def __init__(
        self,
        *,
        refapp: bool = False,
        keep: bool = False,
        upstream_keepalive: int = 75,
        postgres: bool = False,
    ):
        """`postgres=True`: a fresh PostgreSQL database (dropped at close) instead of a
        SQLite file; the local server must let this user create databases. A CACHE_URL in
        the environment (Redis) is passed on, with a key prefix of this run's own."""
        self.tmp = Path(tempfile.mkdtemp(prefix="ctax-bench-"))
        self.database = f"ctax_bench_{secrets.token_hex(4)}" if postgres else None
        if self.database:
            subprocess.run(["createdb", self.database], check=True)
        self.keep = keep
        self.upstream_keepalive = upstream_keepalive
        self.password = secrets.token_urlsafe(18)
        self.api_key = "bench-" + secrets.token_urlsafe(18)
        self.sandbox_port, self.app_port = free_port(), free_port()
        self.env = self._environment(refapp)
        self.app: Server | None = None
        self.apps: list[Server] = []  # every app instance; `app` is the first
        self.sandbox: Server | None = None
        self.far_upstream: Server | None = None

    def _environment(self, refapp: bool) -> dict[str, str]:
        inherited = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "CTAX_", "DATABASE_URL", "PYTHON"))
        }
        return {
            **inherited,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_HTTPS": "0",
            "DJANGO_ALLOWED_HOSTS": HOST,
            "DATABASE_URL": (
                f"postgres:///{self.database}"
                if self.database
                else f"sqlite:///{self.tmp / 'bench.sqlite3'}"
            ),
            "CTAX_CACHE_KEY_PREFIX": f"bench-{secrets.token_hex(4)}",
            "CTAX_SANDBOX_ENABLED": "1",
            "CTAX_SANDBOX_API_KEY": self.api_key,
            "CTAX_API_KEY": self.api_key,
            "CTAX_API_BASE_URL": f"http://{HOST}:{self.sandbox_port}{SANDBOX_API}",
            "CTAX_BENCH_STATIC_ROOT": str(self.tmp / "static"),
            "CTAX_BENCH_REFAPP": "1" if refapp else "0",
            # The simulated users share one account: no per-user share of upstream calls.
            "CTAX_USER_CALLS_PER_MINUTE": "0",
            "DJANGO_SUPERUSER_PASSWORD": self.password,
        }

    # --- set-up -----------------------------------------------------------------

    def manage(self, *args: str, timeout: float = 300) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    def prepare(self, *, customers: int, refapp: bool = False) -> None:
        """Migrate, seed the sandbox, create the user, sync branches, collect static."""
        self.manage("migrate", "--noinput")
        print("  " + self.manage("seed_sandbox", "--customers", str(customers)).strip())
        self.manage(
            "createsuperuser", "--noinput", "--username", USERNAME, "--email", "bench@example.com"
        )
        self.manage(
            "shell",
            "-c",
            "from customers.demo import sync_branches_from_sandbox as s; "
            "print(s(), 'local branches')",
        )
        if refapp:
            print("  " + self.manage("bench_fill_refapp").strip())
        self.manage("collectstatic", "--noinput")

    def set_faults(
        self, *, latency_ms: int = 0, status: int | None = None, fraction: float | None = None
    ) -> str:
        """Replace the sandbox's fault knobs (shared by all its workers via the database)."""
        args = ["--latency-ms", str(latency_ms)]
        if status:
            args += ["--status", str(status), "--fraction", str(fraction or 1.0)]
        return self.manage("sandbox_faults", *args).strip()

    # --- servers ----------------------------------------------------------------

    def _start(
        self,
        name: str,
        port: int,
        *,
        workers: int,
        threads: int,
        keepalive: int | None = None,
        access_log: bool = True,
    ) -> Server:
        access_log_path = self.tmp / f"{name}-access.log"
        error_log = self.tmp / f"{name}-error.log"
        command = [
            str(VENV_BIN / "gunicorn"), "ctaxoffice.wsgi",
            "--chdir", str(BASE_DIR),
            "--bind", f"{HOST}:{port}",
            "--workers", str(workers), "--threads", str(threads),
            "--worker-class", "gthread",
            "--error-logfile", str(error_log),
            "--no-control-socket",  # gunicorn 27's default path is shared by every instance
        ]  # fmt: skip
        if access_log:
            command += ["--access-logfile", str(access_log_path)]
            command += ["--access-logformat", ACCESS_FORMAT]
        if keepalive is not None:
            command += ["--keep-alive", str(keepalive)]
        output_log = self.tmp / f"{name}-stdout.log"
        with open(output_log, "ab") as out:
            proc = subprocess.Popen(
                command, cwd=BASE_DIR, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        server = Server(name, port, proc, access_log_path, error_log, output_log)
        try:
            self._wait_ready(server, workers)
        except BaseException:  # not yet known to close(): stop it here
            server.stop()
            raise
        return server

    def _wait_ready(self, server: Server, workers: int) -> None:
        probe = "/accounts/login/" if server.name == "app" else f"{SANDBOX_API}/customers"
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if server.proc.poll() is not None:
                raise RuntimeError(f"{server.name} server died:\n{server.error_tail()}")
            try:
                answer = requests.get(server.url + probe, timeout=5)
                if answer.status_code in (200, 401) and len(server.worker_pids()) == workers:
                    return
            except requests.RequestException:  # refused, or still importing
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{server.name} server not ready:\n{server.error_tail()}")

    def start_sandbox(self, *, workers: int = 2, threads: int = 8) -> Server:
        self.sandbox = self._start(
            "sandbox",
            self.sandbox_port,
            workers=workers,
            threads=threads,
            keepalive=self.upstream_keepalive,
        )
        return self.sandbox

    def start_far_upstream(self, *, delay: float, nice: int = 0) -> Server:
        """bench/far_upstream.py between the app and the sandbox; apps started after this
        call it instead of the sandbox (start the sandbox first). `nice`: its CPU priority
        lowered by that much, so that it takes only the CPU the app leaves."""
        port = free_port()
        log = self.tmp / "far-upstream.log"
        command = [
            sys.executable, "-m", "bench.far_upstream", "--port", str(port),
            "--target", self.sandbox.url, "--delay", str(delay), "--nice", str(nice),
        ]  # fmt: skip
        with open(log, "ab") as out:
            proc = subprocess.Popen(
                command, cwd=BASE_DIR, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        self.far_upstream = Server("far-upstream", port, proc, log, log, log)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                requests.get(self.far_upstream_stats_url, timeout=5).raise_for_status()
                break
            except requests.RequestException:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"far upstream not ready:\n{log.read_text()}") from None
                time.sleep(0.2)
        self.env["CTAX_API_BASE_URL"] = f"{self.far_upstream.url}{SANDBOX_API}"
        return self.far_upstream

    @property
    def far_upstream_stats_url(self) -> str:
        return f"{self.far_upstream.url}/__far_upstream/stats"

    def far_upstream_stats(self) -> dict:
        return requests.get(self.far_upstream_stats_url, timeout=10).json()

    def start_app(
        self,
        *,
        access_log: bool = False,
        workers: int = 2,
        threads: int = 4,
        keepalive: int | None = None,
    ) -> Server:
        """The app in gunicorn (gthread), no access log; 2 workers x 4 threads by default.

        `access_log=True` adds one, for counting the requests each worker served.
        """
        self.app = self._start(
            "app",
            self.app_port,
            workers=workers,
            threads=threads,
            access_log=access_log,
            keepalive=keepalive,
        )
        self.apps = [self.app]
        return self.app

    def start_more_apps(
        self, count: int, *, workers: int, threads: int, keepalive: int | None = None
    ) -> list[Server]:
        """More instances of the app on the same database (and sandbox), each on its port."""
        for n in range(count):
            self.apps.append(
                self._start(
                    f"app{n + 2}",
                    free_port(),
                    workers=workers,
                    threads=threads,
                    keepalive=keepalive,
                )
            )
        return self.apps

    def restart_app(self, *, access_log: bool = False) -> Server:
        self.app.stop()
        if self.app.access_log.exists():
            self.app.access_log.rename(self.app.access_log.with_suffix(f".{time.time():.0f}"))
        return self.start_app(access_log=access_log)

    def close(self) -> None:
        for server in (*self.apps[1:], self.app, self.far_upstream, self.sandbox):
            if server is not None:
                server.stop()
        if self.database:
            subprocess.run(["dropdb", "--if-exists", self.database], check=False)
        if self.keep:
            print(f"(kept {self.tmp})")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # --- clients ----------------------------------------------------------------

    def login(self) -> requests.Session:
        """A keep-alive session logged in to the app as the bench user."""
        session = requests.Session()
        url = f"{self.app.url}/accounts/login/"
        form = session.get(url, timeout=30)
        form.raise_for_status()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        answer = session.post(
            url,
            data={
                "username": USERNAME,
                "password": self.password,
                "csrfmiddlewaretoken": token,
                "next": "/customers/",
            },
            headers={"Referer": url},
            allow_redirects=False,
            timeout=60,
        )
        if answer.status_code != 302:
            raise RuntimeError(f"login failed: HTTP {answer.status_code}")
        return session

    def upstream_session(self) -> requests.Session:
        """A keep-alive session that calls the sandbox API directly, with the key."""
        session = requests.Session()
        session.headers.update(
            {"Authorization": f"Bearer {self.api_key}", "Accept": "application/json"}
        )
        return session

    @property
    def upstream_url(self) -> str:
        return f"http://{HOST}:{self.sandbox_port}{SANDBOX_API}"


def clone(session: requests.Session) -> requests.Session:
    """The same login (cookies and headers) on a connection of its own."""
    copy = requests.Session()
    copy.cookies.update(session.cookies)
    copy.headers.update(session.headers)
    return copy


# --- reporting ----------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    rank = max(math.ceil(q / 100 * len(ordered)), 1)
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    return statistics.median(values)


def machine_lines() -> list[str]:
    import django
    import gunicorn

    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"cpu: {cpu}; cores: {os.cpu_count()} (usable {len(os.sched_getaffinity(0))})",
        f"python {platform.python_version()}, django {django.__version__}, "
        f"gunicorn {gunicorn.__version__}, requests {requests.__version__}; "
        f"{platform.system()} {platform.release()}",
        f"load average before the run: {load}",
    ]


def print_header(title: str) -> None:
    print(f"\n== {title} ==")
