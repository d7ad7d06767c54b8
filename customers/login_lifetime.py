"""A login lasts CTAX_SESSION_HOURS from the moment of logging in, never extended.

Django's own session age counts from the session's last write, so every message or
saved form moved a login's end forward. The end is written into the session at login
(any login: the login page, the admin's, a test's force_login) and checked on every
request, before CSRF and authentication read the session: an ended login is flushed,
and the request goes on as anonymous. "Remember me" only makes the cookie outlive the
browser, up to the same end.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

LOGIN_ENDS = "ctax_login_ends"  # POSIX seconds, in the session


def login_ends(request) -> dt.datetime:
    return dt.datetime.fromtimestamp(request.session[LOGIN_ENDS], tz=dt.UTC)


@receiver(user_logged_in, dispatch_uid="ctax-login-ends")
def _stamp_login_end(sender, request, user, **kwargs):
    ends = timezone.now() + dt.timedelta(hours=settings.CTAX_SESSION_HOURS)
    request.session[LOGIN_ENDS] = ends.timestamp()


class LoginLifetimeMiddleware:
    """Right after SessionMiddleware: ends a login whose time is up (or that has no end,
    e.g. one made before this was deployed)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session:
            ends = session.get(LOGIN_ENDS)
            if ends is None or timezone.now().timestamp() >= ends:
                session.flush()
        return self.get_response(request)
