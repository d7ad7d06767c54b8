"""One-time form tokens: issued by the server, good for CTAX_FORM_HOURS, claimed once.

A write form carries a token signed with its issue time (django.core.signing). The
first POST of the form claims it (a FormSubmission row), so a repeat is caught; a
token the server did not issue, or issued more than CTAX_FORM_HOURS ago, is refused
("too old"), so a form is never replayed after housekeeping removed its row.
Housekeeping keeps rows at least CTAX_FORM_HOURS after their claim, which is after
their issue: a row goes only once its token could no longer be accepted anyway.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction

from .models import FormSubmission

FIELD = "submission_token"  # the hidden input of every write form
TOO_OLD_MESSAGE = "This form is too old: check it and send it again."
_SALT = "customers.submissions.form-token"


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_SALT)


def new_token() -> str:
    """A token for a form being shown: a fresh key, signed with the time it was issued."""
    return _signer().sign(uuid.uuid4().hex)


def posted(request) -> str:
    """The token a form sent; "" when it sent none (refused as too old, like a forged one)."""
    return request.POST.get(FIELD) or ""


def parse_token(raw: str | None) -> uuid.UUID | None:
    """The key of a token this server issued less than CTAX_FORM_HOURS ago; else None."""
    max_age = dt.timedelta(hours=settings.CTAX_FORM_HOURS)
    try:
        return uuid.UUID(hex=_signer().unsign(str(raw or ""), max_age=max_age))
    except (signing.BadSignature, ValueError):
        return None


def reissued(raw: str | None) -> str:
    """The token for a form shown again: the same while it is good (a repeat is still
    caught, and an answer lost earlier is recognised), else a new one."""
    return str(raw) if parse_token(raw) is not None else new_token()


def claim(token: uuid.UUID | None) -> FormSubmission | None:
    """The earlier submission when this token was used before; None when it is ours now."""
    if token is None:
        return None
    try:
        with transaction.atomic():
            FormSubmission.objects.create(token=token)
    except IntegrityError:
        return FormSubmission.objects.filter(token=token).first()
    return None


def release(token: uuid.UUID | None) -> None:
    """Nothing was written: let the same form be sent again."""
    if token is not None:
        FormSubmission.objects.filter(token=token, customer_id__isnull=True).delete()


def complete(token: uuid.UUID | None, customer_id: int | None) -> None:
    if token is not None:
        FormSubmission.objects.filter(token=token).update(customer_id=customer_id or 0)
