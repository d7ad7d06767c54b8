"""The one door to the upstream C-Ushuru Customers API.

Views and forms call the keyword-only functions of this module; nothing else in
the project talks HTTP to the upstream, builds its URLs or reads its JSON.
Results are the dataclasses of `customers.upstream.types`; failures the errors
of `customers.upstream.errors`, both re-exported here (`services.NotFound`).
The client itself, its session and retry policy live in `customers.upstream`.

Call budget: every call is first charged to the user whose request it serves
(`call_budget`); past their CTAX_USER_CALLS_PER_MINUTE it is not sent (TooManyCalls).

Time budget: every call gives up after CTAX_API_TIMEOUT seconds of waiting for
an answer. Reads (GET) are retried on refused connections, 502/503/504 and 429,
but only while a retry can start within the first half of that budget; a read
that timed out is never retried, and writes are never retried. A page therefore
waits at most about 1.5 x CTAX_API_TIMEOUT.
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver

from . import call_budget
from .upstream.client import CustomersClient
from .upstream.errors import (
    BadResponse,
    Conflict,
    Forbidden,
    NotFound,
    RateLimited,
    TooManyCalls,
    Unauthorized,
    Unavailable,
    UpstreamError,
    UpstreamTimeout,
    ValidationFailed,
)
from .upstream.types import (
    CustomerDetail,
    CustomerSummary,
    Page,
    SearchHit,
    Transaction,
    WriteResult,
)

__all__ = [
    "BadResponse",
    "Conflict",
    "CustomerDetail",
    "CustomerSummary",
    "CustomersClient",
    "Forbidden",
    "NotFound",
    "Page",
    "RateLimited",
    "SearchHit",
    "TooManyCalls",
    "Transaction",
    "Unauthorized",
    "Unavailable",
    "UpstreamError",
    "UpstreamTimeout",
    "ValidationFailed",
    "WriteResult",
    "check_ready",
    "create_customer",
    "delete_customer",
    "get_client",
    "get_customer",
    "list_customers",
    "list_transactions",
    "reset_client",
    "search_customers",
    "update_customer",
]


def check_ready() -> tuple[bool, str]:
    """Does the upstream answer with our key? (For /readyz: one small list call.)"""
    try:
        get_client().list_customers(per_page=1)
    except UpstreamError as exc:
        return False, type(exc).__name__
    return True, "ok"


# --- the process-wide client ------------------------------------------------

_client: CustomersClient | None = None
_client_lock = threading.Lock()


def get_client() -> CustomersClient:
    global _client
    if _client is None:
        with _client_lock:
            if _client is None:
                _client = CustomersClient(
                    base_url=settings.CTAX_API_BASE_URL,
                    api_key=settings.CTAX_API_KEY,
                    timeout=settings.CTAX_API_TIMEOUT,
                    proxy=settings.CTAX_API_PROXY or None,
                    before_call=before_each_call,
                    max_bytes=settings.CTAX_API_MAX_BYTES,
                )
    return _client


def before_each_call() -> None:
    """Charge the call to whoever pays (TooManyCalls: not sent), then free the connection."""
    call_budget.before_call()
    release_pooled_connection()


def release_pooled_connection() -> None:
    """Give this thread's PostgreSQL connection back to the pool while the upstream answers.

    A request waits on the upstream for most of its life (a second, on a slow link);
    holding a database connection all that time would make PostgreSQL's connection
    limit the limit of concurrent pages. The next query takes one from the pool again.
    Not inside a transaction, and not without a pool (a SQLite file stays open).
    """
    if connection.in_atomic_block or not connection.settings_dict["OPTIONS"].get("pool"):
        return
    connection.close()


def reset_client() -> None:
    global _client
    with _client_lock:
        _client = None


@receiver(setting_changed)
def _reset_on_setting_change(*, setting: str, **kwargs) -> None:
    if setting.startswith("CTAX_API_"):
        reset_client()


# --- the functions views use ------------------------------------------------


def list_customers(
    *,
    search: str | None = None,
    branch_id: str | None = None,
    status: str | None = None,
    page: int = 1,
    per_page: int = 25,
) -> Page[CustomerSummary]:
    return get_client().list_customers(
        search=search, branch_id=branch_id, status=status, page=page, per_page=per_page
    )


def search_customers(*, q: str, branch_id: str | None = None, limit: int = 10) -> list[SearchHit]:
    return get_client().search_customers(q=q, branch_id=branch_id, limit=limit)


def get_customer(*, customer_id: int) -> CustomerDetail:
    return get_client().get_customer(customer_id)


def list_transactions(
    *,
    customer_id: int,
    type: str | None = None,
    from_date: dt.date | None = None,
    to_date: dt.date | None = None,
    page: int = 1,
) -> Page[Transaction]:
    """One page of the history, as many transactions as the upstream puts on a page (the
    API documents no `per_page` here: 25 a page)."""
    return get_client().list_transactions(
        customer_id, type=type, from_date=from_date, to_date=to_date, page=page
    )


def create_customer(*, values: dict[str, Any]) -> WriteResult:
    return get_client().create_customer(values=values)


def update_customer(*, customer_id: int, changes: dict[str, Any]) -> WriteResult:
    return get_client().update_customer(customer_id, changes=changes)


def delete_customer(*, customer_id: int) -> WriteResult:
    return get_client().delete_customer(customer_id)
