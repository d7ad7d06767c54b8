"""Failed logins counted per username, from any address (in the database, for every worker).

django-axes locks one username from one address (5 failures). This adds the username
alone: after FAILURE_LIMIT failures within WINDOW, every try for it is refused for a
waiting time that starts at FIRST_WAIT and doubles with each refusal and each new lock,
LONGEST_WAIT at most and counted from the lock, so spraying one account from many
addresses ends, and a stranger cannot keep a clerk out for longer than that. An
administrator unlocks it in the admin (Login lockouts).
"""

import datetime as dt

from axes.helpers import get_cool_off
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import timezone

from .models import LoginLockout

FAILURE_LIMIT = 20
WINDOW = dt.timedelta(hours=1)
FIRST_WAIT = dt.timedelta(minutes=1)
LONGEST_WAIT = dt.timedelta(hours=1)
RETRY_AT = "ctax_retry_at"  # the request attribute the refusal page reads
# Set on a try that reaches the password check: only those can be failures. A try
# refused first (axes's lock of this username and address, or ours) is not one, so
# one locked-out address cannot go on to lock the username for every address.
PASSWORD_CHECKED = "ctax_password_checked"


def _key(username: str) -> str:
    return username.casefold()[:150]


def refuse_while_locked(username: str, now: dt.datetime) -> dt.datetime | None:
    """If the username is locked: the refusal doubles the wait; returns when it ends."""
    with transaction.atomic():
        row = LoginLockout.objects.select_for_update().filter(username=_key(username)).first()
        if row is None or row.locked_until is None or row.locked_until <= now:
            return None
        row.wait = min(row.wait * 2, LONGEST_WAIT)
        row.locked_until = row.locked_at + row.wait
        row.save(update_fields=["wait", "locked_until"])
        return row.locked_until


def record_failure(username: str, now: dt.datetime) -> None:
    # Rows that the next failure would start afresh anyway: no table of every name tried.
    LoginLockout.objects.filter(window_started_at__lte=now - WINDOW).exclude(
        locked_until__gt=now
    ).delete()
    LoginLockout.objects.get_or_create(username=_key(username), defaults={"window_started_at": now})
    with transaction.atomic():
        row = LoginLockout.objects.select_for_update().get(username=_key(username))
        locked = row.locked_until is not None and row.locked_until > now
        if row.window_started_at + WINDOW <= now and not locked:
            row.window_started_at, row.failures, row.wait = now, 0, None
            row.locked_at = row.locked_until = None
        row.failures += 1
        if row.failures >= FAILURE_LIMIT and not locked:
            row.wait = FIRST_WAIT if row.wait is None else min(row.wait * 2, LONGEST_WAIT)
            row.locked_at, row.locked_until = now, now + row.wait
        row.save()


class UsernameLockoutBackend:
    """Before ModelBackend (after axes's): refuses a locked username before any
    password is checked. AxesMiddleware then answers with `lockout_response`. (No
    get_user: it never logs anyone in, so it must not be a session's backend.)"""

    def authenticate(self, request, username=None, **credentials):
        if request is None or not username:
            return None
        retry_at = refuse_while_locked(username, timezone.now())
        if retry_at is not None:
            setattr(request, RETRY_AT, retry_at)
            request.axes_locked_out = True  # AxesMiddleware renders the refusal
            raise PermissionDenied
        setattr(request, PASSWORD_CHECKED, True)
        return None


@receiver(user_login_failed, dispatch_uid="ctax-count-failures-per-username")
def _count_failure(sender, credentials, request=None, **kwargs):
    username = credentials.get("username")
    if not username or not getattr(request, PASSWORD_CHECKED, False):
        return  # a refusal is not a new failure
    record_failure(username, timezone.now())


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the refusal page, saying when to try again."""
    retry_at = getattr(request, RETRY_AT, None)
    if retry_at is None:  # axes's own lock (this username from this address)
        retry_at = timezone.now() + (get_cool_off(request) or dt.timedelta(0))
    retry_at = timezone.localtime(retry_at)
    context = {"retry_at": retry_at, "now_ymd": timezone.localtime().strftime("%Y%m%d")}
    return render(request, "registration/locked_out.html", context, status=429)
