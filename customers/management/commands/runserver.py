"""`manage.py runserver` as whitenoise's (static files served as in production), its
connections without Nagle's delay (customers.dev_server)."""

from whitenoise.runserver_nostatic.management.commands.runserver import (
    Command as NoStaticRunserver,
)

from customers.dev_server import NoDelayWSGIServer


class Command(NoStaticRunserver):
    server_cls = NoDelayWSGIServer
