"""live_server's connections send at once (tests/live_server_sockets.py)."""

import socket

from django.test.testcases import LiveServerThread

from tests.live_server_sockets import NoDelayWSGIServer


def test_live_server_is_built_on_the_no_delay_server():
    assert LiveServerThread.server_class is NoDelayWSGIServer


def test_each_accepted_connection_has_tcp_nodelay():
    server = NoDelayWSGIServer(("127.0.0.1", 0), None, allow_reuse_address=False)
    try:
        with socket.create_connection(server.server_address, timeout=5):
            accepted, _address = server.get_request()
            with accepted:
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        server.server_close()
