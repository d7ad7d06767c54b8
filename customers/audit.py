"""Our own audit trail: every write attempted through the app, with its outcome."""

from __future__ import annotations

from typing import Any

from .models import AuditEntry
from .upstream.errors import UpstreamError


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


def record(
    *,
    user,
    action: str,
    customer_id: int | None,
    customer_no: str = "",
    branch_id: str = "",
    changes: dict | None = None,
    error: UpstreamError | None = None,
    request_id: str | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        user=user if user.is_authenticated else None,
        username=user.get_username(),
        action=action,
        customer_id=customer_id,
        customer_no=customer_no or "",
        branch_id=branch_id or "",
        changes=changes or {},
        outcome=AuditEntry.FAILURE if error else AuditEntry.SUCCESS,
        error=_describe(error),
        request_id=(error.request_id if error else request_id) or "",
    )


def _describe(error: UpstreamError | None) -> str:
    if error is None:
        return ""
    status = f"HTTP {error.status}: " if error.status else ""
    details = getattr(error, "errors", None)
    extra = "; ".join(f"{k}: {' '.join(v)}" for k, v in (details or {}).items())
    return f"{type(error).__name__} {status}{error.message}" + (f" ({extra})" if extra else "")
