"""One-time form tokens: the first POST of a form claims its token, any repeat is caught."""

from __future__ import annotations

import uuid

from django.db import IntegrityError, transaction

from .models import FormSubmission


def new_token() -> str:
    return str(uuid.uuid4())


def parse_token(raw: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(raw))
    except (TypeError, ValueError):
        return None


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
    """The write failed: let the same form be sent again."""
    if token is not None:
        FormSubmission.objects.filter(token=token, customer_id__isnull=True).delete()


def complete(token: uuid.UUID | None, customer_id: int | None) -> None:
    if token is not None:
        FormSubmission.objects.filter(token=token).update(customer_id=customer_id or 0)
