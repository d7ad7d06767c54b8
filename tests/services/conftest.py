"""Fixtures for the tests of the upstream door (`customers.upstream`).

In-process tests use the one fake of the upstream every suite shares: `FakeUpstream`
(tests/fakes.py, the `upstream` fixture of tests/conftest.py), at its BASE_URL with its
API_KEY, answers registered with its methods (`upstream.on(...)` for an exact body,
status, headers, exception or query matchers; `upstream.rsps` is its
`responses.RequestsMock`, whose `calls` the tests read). `responses` emulates the
status-code retries from the adapter's `max_retries`, without sleeping. Here
`client_on_fake` is a `CustomersClient` of that fake.

Transport tests, which need a real socket, use `loopback` (`LoopbackUpstream`): an
HTTP server on 127.0.0.1 in a thread, for what `responses` cannot show: urllib3's own
retry loop with its sleeps, refused connections, slow or dripping answers and read
timeouts.
"""

from __future__ import annotations

import json
import socket
import threading
import types
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import urllib3.util.connection
import urllib3.util.retry

from customers.upstream import door
from customers.upstream.client import CustomersClient
from tests.fakes import API_KEY


@pytest.fixture(autouse=True)
def _fresh_module_client():
    """The module-wide client caches settings; never let one leak between tests."""
    door.reset_client()
    yield
    door.reset_client()


@pytest.fixture
def client_on_fake(upstream):
    """A `CustomersClient` of the shared in-process fake (tests/fakes.py), timeout 2 s."""
    return CustomersClient(base_url=upstream.base_url, api_key=upstream.api_key, timeout=2)


@pytest.fixture
def sleeps(monkeypatch):
    """Record urllib3's retry sleeps instead of sleeping; yields the list of seconds."""
    recorded: list[float] = []
    real_time = urllib3.util.retry.time
    fake = types.SimpleNamespace(sleep=recorded.append, time=real_time.time)
    monkeypatch.setattr(urllib3.util.retry, "time", fake)
    return recorded


@pytest.fixture
def connect_attempts(monkeypatch):
    """Count the TCP connections urllib3 opens (or tries to)."""
    attempts: list[tuple] = []
    real = urllib3.util.connection.create_connection

    def counting(address, *args, **kwargs):
        attempts.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(urllib3.util.connection, "create_connection", counting)
    return attempts


# --- a real loopback server ---------------------------------------------------

DRIP_BYTES = 16  # a dripping answer's body is sent this much at a time
HEADER_DRIP_LINES = 90  # a reply with `header_drip` sends this many extra header lines


@dataclass
class Reply:
    status: int = 200
    body: object = field(default_factory=lambda: {"status": "success", "data": []})
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering
    drip: float = 0.0  # seconds between pieces of the body (DRIP_BYTES each), after the headers
    length: bool = True  # False: no Content-Length, the body ends when the connection closes
    header_drip: float = 0.0  # seconds between header lines (HEADER_DRIP_LINES of them)


@dataclass
class Seen:
    method: str
    path: str
    headers: dict
    body: bytes


class LoopbackUpstream:
    def __init__(self):
        self.replies: list[Reply] = []
        self.seen: list[Seen] = []
        self.stop = threading.Event()
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output quiet
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                upstream.seen.append(Seen(self.command, self.path, dict(self.headers), body))
                reply = upstream.replies.pop(0) if upstream.replies else Reply(status=599)
                if reply.delay:
                    upstream.stop.wait(reply.delay)
                raw = reply.body
                if not isinstance(raw, bytes):
                    raw = json.dumps(raw).encode()
                try:
                    self.send_response(reply.status)
                    if reply.header_drip and not self._drip_headers(reply.header_drip):
                        return
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "application/json")
                    if reply.length:
                        self.send_header("Content-Length", str(len(raw)))
                    else:
                        self.send_header("Connection", "close")
                        self.close_connection = True
                    self.end_headers()
                    self._send_body(raw, reply.drip)
                except OSError:  # the client gave up (read timeout)
                    pass

            def _drip_headers(self, drip: float) -> bool:
                """Send the status line, then one header line every `drip` seconds."""
                self.flush_headers()
                for number in range(HEADER_DRIP_LINES):
                    if upstream.stop.wait(drip):
                        return False
                    self.wfile.write(f"X-Drip-{number}: {number}\r\n".encode())
                    self.wfile.flush()
                return True

            def _send_body(self, raw: bytes, drip: float):
                if not drip:
                    self.wfile.write(raw)
                    return
                for start in range(0, len(raw), DRIP_BYTES):
                    self.wfile.write(raw[start : start + DRIP_BYTES])
                    self.wfile.flush()
                    if upstream.stop.wait(drip):
                        return

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/api/v1"

    def client(self, timeout: float = 2) -> CustomersClient:
        return CustomersClient(base_url=self.base_url, api_key=API_KEY, timeout=timeout)

    def queue(self, *replies: tuple | Reply) -> None:
        """Queue answers, each a Reply or (status, body[, headers[, delay]]), served in order."""
        self.replies.extend(r if isinstance(r, Reply) else Reply(*r) for r in replies)


@pytest.fixture
def loopback():
    """A real HTTP server on 127.0.0.1 answering the queued replies (transport tests)."""
    server = LoopbackUpstream()
    server.thread.start()
    yield server
    server.stop.set()
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def closed_port_url():
    """A loopback URL on which nothing listens: connections are refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/v1"
