"""Error pages that need neither a session nor a CSRF token.

A request can be refused before SessionMiddleware runs (a wrong Host is found by the
HTTPS redirect, first of all): Django's own handlers ask for a CSRF token, which this
project keeps in the session, and so turned a 400 into a 500 with its tracebacks.

A form sent after its login ended fails the CSRF check (the secret was in the ended
session): that is not an attack but a clerk's lost morning, so it leads to the login
page, and back to the form, where form.js puts the draft back (README "Nothing typed is
lost").
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseBadRequest, HttpResponseForbidden, HttpResponseRedirect
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

SESSION_ENDED_PARAM = "ended"  # on the login page's address: it then says SESSION_ENDED
LOGIN_PAGE_EXPIRED = "The log-in page had expired: please log in again."


def bad_request(request, exception):
    return HttpResponseBadRequest(loader.render_to_string("400.html"))


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: back to the form (through the login page if the login ended)."""
    user = getattr(request, "user", None)
    if not hasattr(request, "session") or user is None:
        return HttpResponseForbidden(loader.render_to_string("403_csrf.html"))
    login = reverse(settings.LOGIN_URL)
    if request.path == login:
        messages.warning(request, LOGIN_PAGE_EXPIRED)
        return _go(request, request.get_full_path())
    if request.path == reverse("logout"):
        return _go(request, login)  # logged out already
    page = _page_sent_from(request)
    if page is None or user.is_authenticated:  # a forged request, or a stale tab
        return HttpResponseForbidden(loader.render_to_string("403_csrf.html"))
    # Said by the login page itself (not a message in the new session): a page's htmx
    # call (e.g. a field's check) and its form often fail together, each with a session.
    return _go(request, f"{login}?{urlencode({'next': page, SESSION_ENDED_PARAM: '1'})}")


def _go(request, destination: str):
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(destination)
    return HttpResponseRedirect(destination)


def _page_sent_from(request) -> str | None:
    """The page the form was on: the htmx page's address, else the form's own."""
    htmx = getattr(request, "htmx", None)
    page = (htmx.current_url_abs_path if htmx else None) or request.get_full_path()
    return page if url_has_allowed_host_and_scheme(page, allowed_hosts=None) else None
