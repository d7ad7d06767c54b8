"""Django's development servers send each answer at once: TCP_NODELAY on every connection
(customers.dev_server), for `manage.py runserver` (what `make run` serves the app and the
sandbox with) and for the tests' live_server (tests/live_server_sockets.py)."""

import socket
import socketserver

import pytest
from django.core.management import get_commands, load_command_class
from django.test.testcases import LiveServerThread

from customers.dev_server import NoDelayWSGIServer
from tests.live_server_sockets import NoDelayWSGIServer as NoDelayLiveServer

# As django.core.servers.basehttp.run builds runserver's server, threading on.
RUNSERVER = type("WSGIServer", (socketserver.ThreadingMixIn, NoDelayWSGIServer), {})


def test_runserver_is_ours_and_still_leaves_static_files_to_whitenoise():
    assert get_commands()["runserver"] == "customers"
    command = load_command_class("customers", "runserver")
    assert command.server_cls is NoDelayWSGIServer
    parser = command.create_parser("manage.py", "runserver")
    assert parser.get_default("use_static_handler") is False


def test_live_server_is_built_on_the_no_delay_server():
    assert LiveServerThread.server_class is NoDelayLiveServer


@pytest.mark.parametrize("server_class", [RUNSERVER, NoDelayLiveServer], ids=["runserver", "live"])
def test_each_accepted_connection_has_tcp_nodelay(server_class):
    server = server_class(("127.0.0.1", 0), None, allow_reuse_address=False)
    try:
        with socket.create_connection(server.server_address, timeout=5):
            accepted, _address = server.get_request()
            with accepted:
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        server.server_close()
