"""Our own audit trail: every write attempted through the app, with its outcome.

An attempt is recorded ("pending") before the upstream write and completed after
it (`begin`, then `finish`): a write that cannot be recorded is not sent.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import AuditEntry
from .upstream.errors import BadResponse, Unavailable, UpstreamError


def _plain(value: Any):
    return value if value is None or isinstance(value, (bool, int, str)) else str(value)


def diff(before: dict, after: dict) -> dict[str, list]:
    """{field: [before, after]} for each field of `after` whose value differs."""
    pairs = {
        name: [_plain(_blank_none(before.get(name))), _plain(_blank_none(value))]
        for name, value in after.items()
    }
    return {name: pair for name, pair in pairs.items() if pair[0] != pair[1]}


def _blank_none(value):
    return None if value == "" else value


def fit(name: str, value: Any) -> str:
    """`value` as text, cut to the length of AuditEntry's column `name` (upstream strings vary)."""
    text = "" if value is None else str(value)
    limit = AuditEntry._meta.get_field(name).max_length
    return text[:limit] if limit else text


def begin(
    *,
    user,
    action: str,
    customer_id: int | None,
    customer_no: str = "",
    branch_id: str = "",
    changes: dict | None = None,
    token: uuid.UUID | None = None,
) -> AuditEntry:
    """Record an attempt before it is sent; raises DatabaseError when it cannot be recorded."""
    with transaction.atomic():  # a failed insert leaves any outer transaction usable
        return AuditEntry.objects.create(
            user=user if user.is_authenticated else None,
            username=fit("username", user.get_username()),
            action=action,
            customer_id=customer_id,
            customer_no=fit("customer_no", customer_no),
            branch_id=fit("branch_id", branch_id),
            changes=changes or {},
            outcome=AuditEntry.PENDING,
            token=token,
        )


def finish(
    entry: AuditEntry,
    *,
    error: UpstreamError | None = None,
    request_id: str | None = None,
    customer_id: int | None = None,
    customer_no: str | None = None,
) -> None:
    """Complete a pending attempt with its outcome; raises DatabaseError if it cannot."""
    entry.outcome = outcome_of(error)
    entry.error = _describe(error)
    entry.request_id = fit("request_id", (error.request_id if error else request_id) or "")
    if customer_id is not None:
        entry.customer_id = customer_id
    if customer_no:
        entry.customer_no = fit("customer_no", customer_no)
    entry.completed_at = timezone.now()
    with transaction.atomic():
        entry.save(
            update_fields=[
                "outcome",
                "error",
                "request_id",
                "customer_id",
                "customer_no",
                "completed_at",
            ]
        )


def outcome_of(error: UpstreamError | None) -> str:
    if error is None:
        return AuditEntry.SUCCESS
    # The upstream's answer was lost or unreadable: the write may have happened.
    if isinstance(error, (Unavailable, BadResponse)):
        return AuditEntry.UNKNOWN
    return AuditEntry.FAILURE


def answer_was_lost_before(entry: AuditEntry) -> bool:
    """True when an earlier attempt with this entry's form token ended without an answer."""
    if entry.token is None:
        return False
    earlier = AuditEntry.objects.filter(token=entry.token, outcome=AuditEntry.UNKNOWN)
    return earlier.exclude(pk=entry.pk).exists()


def _describe(error: UpstreamError | None) -> str:
    if error is None:
        return ""
    status = f"HTTP {error.status}: " if error.status else ""
    details = getattr(error, "errors", None)
    extra = "; ".join(f"{k}: {' '.join(v)}" for k, v in (details or {}).items())
    return f"{type(error).__name__} {status}{error.message}" + (f" ({extra})" if extra else "")
