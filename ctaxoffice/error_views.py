"""Error pages that need neither a session nor a CSRF token.

A request can be refused before SessionMiddleware runs (a wrong Host is found by the
HTTPS redirect, first of all): Django's own handlers ask for a CSRF token, which this
project keeps in the session, and so turned a 400 into a 500 with its tracebacks.
"""

from django.http import HttpResponseBadRequest
from django.template import loader


def bad_request(request, exception):
    return HttpResponseBadRequest(loader.render_to_string("400.html"))
