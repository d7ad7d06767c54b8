"""The process's one `CustomersClient`, made from the settings: every call to the upstream
goes through `get_client()` (reads from `customers.selectors` and the code beside it,
writes from `customers.services`).

Call budget: every call is first charged to the user whose request it serves
(`customers.call_budget`); past their CTAX_USER_CALLS_PER_MINUTE it is not sent
(TooManyCalls).

Time budget: each attempt of a call (connect, request, headers and the answer
read whole) is given up CTAX_API_TIMEOUT seconds after it started. Reads (GET)
are retried on refused connections, 502/503/504 and 429, but only while a retry
can start within the first half of that budget; a read that timed out is never
retried, and writes are never retried. A call, retries included, is therefore
over by 1.5 x CTAX_API_TIMEOUT, and a page waits at most about that.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver

from .. import call_budget
from .client import CustomersClient

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
