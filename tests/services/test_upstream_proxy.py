"""The upstream client ignores proxy variables of the environment; a proxy is set explicitly."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from customers.upstream import door


def test_environment_proxies_are_not_read(monkeypatch, settings):
    monkeypatch.setenv("HTTPS_PROXY", "http://should-not-be-used:3128")
    settings.CTAX_API_PROXY = ""
    session = door.get_client().session
    assert session.trust_env is False and session.proxies == {}


def test_an_explicit_proxy_is_used(settings):
    settings.CTAX_API_PROXY = "http://proxy.branch.local:3128"
    assert door.get_client().session.proxies == {
        "http": "http://proxy.branch.local:3128",
        "https": "http://proxy.branch.local:3128",
    }


def test_calls_go_through_the_explicit_proxy(settings):
    """Over real HTTP: the proxy receives the absolute URL, with the key, and answers it."""
    seen = []

    class Proxy(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            seen.append((self.path, self.headers.get("Authorization")))
            body = json.dumps({"status": "success", "data": [], "meta": {"total": 0}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        settings.CTAX_API_BASE_URL = "http://upstream.invalid/api/v1"
        settings.CTAX_API_KEY = "proxy-test-key"
        settings.CTAX_API_PROXY = f"http://127.0.0.1:{server.server_port}"
        page = door.get_client().list_customers(search="ab", per_page=5)
    finally:
        server.shutdown()
        server.server_close()
    assert page.items == [] and page.meta.total == 0
    assert seen == [
        (
            "http://upstream.invalid/api/v1/customers?search=ab&page=1&per_page=5",
            "Bearer proxy-test-key",
        )
    ]
