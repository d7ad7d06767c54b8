"""Django's development servers answering without Nagle's delay.

Django's server (wsgiref underneath) writes an answer in several small sends (status
line, headers, body). On a kept-alive connection Nagle's algorithm holds each send after
the first until the client acknowledges it, and the client delays that acknowledgement
(about 40 ms on Linux). `make run` serves the app and the sandbox from one `runserver`,
so every upstream call of a page waited that long; the tests' live_server too.
gunicorn (production) sets TCP_NODELAY itself.
"""

import socket

from django.core.servers.basehttp import WSGIServer


class NoDelay:
    """A socketserver mixin: TCP_NODELAY on each accepted connection (every write sent at once)."""

    def get_request(self):
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address


class NoDelayWSGIServer(NoDelay, WSGIServer):
    """runserver's server (runserver adds the threads itself)."""
