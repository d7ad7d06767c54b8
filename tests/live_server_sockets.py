"""live_server answering without Nagle's delay.

Django's test server (wsgiref underneath) writes an answer in several small sends (status
line, headers, body). On a kept-alive connection Nagle's algorithm holds each send after
the first until the client acknowledges it, and the client delays that acknowledgement
(about 40 ms on Linux): most calls to the sandbox over live_server took ~50 ms instead of
a few. TCP_NODELAY on each accepted connection sends every write at once.
"""

import socket

from django.core.servers.basehttp import ThreadedWSGIServer


class NoDelayWSGIServer(ThreadedWSGIServer):
    """Django's threaded test server, each accepted connection with TCP_NODELAY."""

    def get_request(self):
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address
