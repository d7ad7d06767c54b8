"""A far-away upstream for the slow-upstream load: every answer held --delay seconds.

The real Customers API runs on someone else's machine; in `load.py --slow-upstream`
the sandbox runs on ours, and its work for each call (the ORM, its own middleware,
JSON) took about a third of the CPU that the app, the sandbox and the load generator
share. This server stands between the app and the sandbox as the far link would:
the first time a GET is asked it is relayed to the sandbox, and from then on the
same answer (status 200 only) is served from memory; every answer, relayed or
remembered, leaves `--delay` seconds after the request came in. Writes are always
relayed, and a successful one forgets the answers it changed: that customer's, every
list's and search's (bench/day.py edits and creates; the load run does not write), so
the app sees the same answers the sandbox gives, one second late, at the cost of a
thread sleeping.

    python -m bench.far_upstream --port 8765 --target http://127.0.0.1:8001 --delay 1.0

(the app's CTAX_API_BASE_URL is then http://127.0.0.1:8765/sandbox/api/v1)

With --nice 10 it takes only the CPU that the app leaves, as a server on another
machine would. GET /__far_upstream/stats gives {"calls", "relayed", "connections"} as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import requests

STATS_PATH = "/__far_upstream/stats"
FORWARDED = ("Authorization", "Accept", "Content-Type", "User-Agent", "X-Request-ID")


class Relay:
    """What the handlers share: the target, the delay, remembered answers and counts."""

    def __init__(self, target: str, delay: float):
        self.target, self.delay = target.rstrip("/"), delay
        self.answers: dict[tuple, tuple[int, str, bytes]] = {}
        self.lock = threading.Lock()
        self.local = threading.local()
        self.counts = {"calls": 0, "relayed": 0, "connections": 0}

    def count(self, name: str) -> None:
        with self.lock:
            self.counts[name] += 1

    def session(self) -> requests.Session:
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
            self.local.session.trust_env = False
        return self.local.session

    def answer(self, method: str, path: str, headers, body: bytes | None):
        key = (path, headers.get("Authorization"))
        if method == "GET" and key in self.answers:
            return self.answers[key]
        self.count("relayed")
        sent = {name: headers[name] for name in FORWARDED if headers.get(name)}
        relayed = self.session().request(
            method, self.target + path, headers=sent, data=body, timeout=30
        )
        answer = (
            relayed.status_code,
            relayed.headers.get("Content-Type", "application/json"),
            relayed.content,
        )
        if method == "GET" and relayed.status_code == 200:
            self.answers[key] = answer
        elif method != "GET" and relayed.status_code < 400:
            self.forget(path)
        return answer

    def forget(self, written: str) -> None:
        """After a write: the answers it changed (that customer, every list and search)."""
        written = urlsplit(written).path
        with self.lock:
            for key in list(self.answers):
                read = urlsplit(key[0]).path
                if read == written or read.endswith(("/customers", "/customers/search")):
                    del self.answers[key]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the app's connection pool expects
    # Headers and body go out in two writes: with Nagle's algorithm on, the body waited
    # for the client's delayed ACK of the headers, 40 ms on a third of the answers. Web
    # servers (nginx's tcp_nodelay, gunicorn) turn it off, as here.
    disable_nagle_algorithm = True
    relay: Relay  # set on the subclass made in serve()

    def setup(self):
        super().setup()
        self.relay.count("connections")

    def log_message(self, format, *args):  # noqa: A002 - BaseHTTPRequestHandler's name
        pass

    def do_GET(self):
        if self.path == STATS_PATH:
            with self.relay.lock:
                self._send(200, "application/json", json.dumps(self.relay.counts).encode())
            return
        self._relay()

    def do_POST(self):
        self._relay()

    def do_PUT(self):
        self._relay()

    def do_DELETE(self):
        self._relay()

    def _relay(self):
        came_in = time.monotonic()
        self.relay.count("calls")
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        try:
            status, content_type, content = self.relay.answer(
                self.command, self.path, self.headers, body
            )
        except requests.RequestException as error:
            status, content_type = 502, "application/json"
            content = json.dumps({"message": f"far upstream: {error}"}).encode()
        time.sleep(max(0.0, came_in + self.relay.delay - time.monotonic()))
        self._send(status, content_type, content)

    def _send(self, status: int, content_type: str, content: bytes):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)


def serve(port: int, target: str, delay: float) -> None:
    handler = type("RelayHandler", (Handler,), {"relay": Relay(target, delay)})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    server.request_queue_size = 256
    server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--target", required=True, help="the sandbox server, e.g. http://h:p")
    parser.add_argument("--delay", type=float, default=1.0, help="seconds per answer")
    parser.add_argument(
        "--nice", type=int, default=0, help="lower this process's CPU priority (os.nice)"
    )
    args = parser.parse_args()
    os.nice(args.nice)
    serve(args.port, args.target, args.delay)


if __name__ == "__main__":
    main()
