"""`manage.py runserver` (what `make run` serves the app and the sandbox with) sends each
answer at once: TCP_NODELAY on every connection (customers.dev_server)."""

import socket
import socketserver

from django.core.management import get_commands, load_command_class

from customers.dev_server import NoDelayWSGIServer


def test_runserver_is_ours_and_still_leaves_static_files_to_whitenoise():
    assert get_commands()["runserver"] == "customers"
    command = load_command_class("customers", "runserver")
    assert command.server_cls is NoDelayWSGIServer
    parser = command.create_parser("manage.py", "runserver")
    assert parser.get_default("use_static_handler") is False


def test_each_connection_runserver_accepts_has_tcp_nodelay():
    # As django.core.servers.basehttp.run builds it with threading on.
    server_class = type("WSGIServer", (socketserver.ThreadingMixIn, NoDelayWSGIServer), {})
    server = server_class(("127.0.0.1", 0), None, allow_reuse_address=False)
    try:
        with socket.create_connection(server.server_address, timeout=5):
            accepted, _address = server.get_request()
            with accepted:
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        server.server_close()
