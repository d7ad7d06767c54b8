"""live_server answering without Nagle's delay (see customers.dev_server): most calls to
the sandbox over live_server took ~50 ms instead of a few."""

from django.core.servers.basehttp import ThreadedWSGIServer

from customers.dev_server import NoDelay


class NoDelayWSGIServer(NoDelay, ThreadedWSGIServer):
    """Django's threaded test server, each accepted connection with TCP_NODELAY."""
