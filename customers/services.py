"""The one door to the upstream C-Ushuru Customers API.

Views and forms call the functions at the bottom of this module; nothing else
in the project talks HTTP to the upstream, builds its URLs or reads its JSON.
Results are the dataclasses of `upstream_types`; failures the errors of
`upstream_errors`.

Time budget: every call gives up after CTAX_API_TIMEOUT seconds of waiting for
an answer. Reads (GET) are retried on refused connections, 502/503/504 and 429,
but only while a retry can start within the first half of that budget; a read
that timed out is never retried, and writes are never retried. A page therefore
waits at most about 1.5 x CTAX_API_TIMEOUT.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import requests
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from requests.adapters import HTTPAdapter
from urllib3.exceptions import InvalidHeader, MaxRetryError, ResponseError
from urllib3.util.retry import Retry

from .upstream_errors import (
    BadResponse,
    Conflict,
    Forbidden,
    NotFound,
    RateLimited,
    Unauthorized,
    Unavailable,
    UpstreamError,
    UpstreamTimeout,
    ValidationFailed,
)
from .upstream_types import (
    CustomerDetail,
    CustomerSummary,
    Page,
    SearchHit,
    Transaction,
    WriteResult,
    parse_detail,
    parse_field_errors,
    parse_page,
    parse_search_hit,
    parse_summary,
    parse_transaction,
    to_upstream_fields,
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
    "search_customers",
    "update_customer",
]

logger = logging.getLogger("customers.upstream")

MAX_PER_PAGE = 100
MAX_SEARCH_LIMIT = 50
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})

# The deadline of the call running on this thread, read by _BudgetRetry.
_call_deadline = threading.local()


class _BudgetRetry(Retry):
    """urllib3 Retry that never retries a write, nor past the call's retry deadline.

    A 429 whose Retry-After would end past that deadline is handed back at once,
    so the user is told to come back instead of being kept waiting.
    """

    def increment(
        self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None
    ):
        if error is not None and self._is_read_error(error):
            # read=False: re-raised as it is, so a read timeout stays a ReadTimeout.
            return super().increment(method, url, response, error, _pool, _stacktrace)
        if method and not self._is_method_retryable(method):
            raise MaxRetryError(_pool, url, error or ResponseError("write not retried"))
        new_retry = super().increment(method, url, response, error, _pool, _stacktrace)
        wait = None
        if response is not None and self.respect_retry_after_header:
            wait = new_retry.get_retry_after(response)
        if not wait:  # as urllib3's sleep(): a Retry-After of 0 means the backoff
            wait = new_retry.get_backoff_time()
        deadline = getattr(_call_deadline, "value", None)
        if deadline is not None and time.monotonic() + wait > deadline:
            raise MaxRetryError(_pool, url, error or ResponseError("retry budget spent"))
        return new_retry

    def get_retry_after(self, response):
        # urllib3 raises InvalidHeader on e.g. "Retry-After: soon"; treat it as absent.
        try:
            return super().get_retry_after(response)
        except InvalidHeader:
            return None


def _make_retry() -> Retry:
    return _BudgetRetry(
        total=3,
        connect=2,
        read=False,
        status=2,
        other=0,
        redirect=0,
        allowed_methods=frozenset({"GET"}),
        status_forcelist=RETRYABLE_STATUSES,
        backoff_factor=0.2,
        backoff_max=1.0,
        respect_retry_after_header=True,
        raise_on_status=False,
        raise_on_redirect=False,
    )


def _new_session(pool_size: int = 32, proxy: str | None = None) -> requests.Session:
    session = requests.Session()
    # No proxy or netrc lookups in the environment on every call (they cost more than
    # the rest of the client): a proxy, if the network needs one, is set explicitly.
    session.trust_env = False
    if proxy:
        session.proxies = {"http": proxy, "https": proxy}
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=pool_size, max_retries=_make_retry())
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.update({"Accept": "application/json", "User-Agent": "ctaxoffice/0.1"})
    return session


class CustomersClient:
    """A client of the Customers API on one pooled, keep-alive `requests.Session`."""

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        timeout: float,
        session: requests.Session | None = None,
        proxy: str | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.timeout = float(timeout)
        self._auth_header = {"Authorization": f"Bearer {api_key}"}
        self._api_key = api_key
        self.session = session or _new_session(proxy=proxy)

    def __repr__(self) -> str:  # never show the key
        return f"<CustomersClient {self.base_url}>"

    # --- reads --------------------------------------------------------------

    def list_customers(
        self,
        *,
        search: str | None = None,
        branch_id: str | None = None,
        status: str | None = None,
        page: int = 1,
        per_page: int = 25,
    ) -> Page[CustomerSummary]:
        params = {
            "search": search or None,
            "branch_id": branch_id or None,
            "status": status or None,
            "page": max(int(page), 1),
            "per_page": min(max(int(per_page), 1), MAX_PER_PAGE),
        }
        envelope = self._call("GET", "customers", params=params)
        return _parse(lambda: parse_page(envelope, parse_summary))

    def search_customers(
        self, *, q: str, branch_id: str | None = None, limit: int = 10
    ) -> list[SearchHit]:
        params = {
            "q": q,
            "branch_id": branch_id or None,
            "limit": min(max(int(limit), 1), MAX_SEARCH_LIMIT),
        }
        envelope = self._call("GET", "customers/search", params=params)
        return _parse(lambda: parse_page(envelope, parse_search_hit).items)

    def get_customer(self, customer_id: int) -> CustomerDetail:
        envelope = self._call("GET", f"customers/{_id(customer_id)}")
        return _parse(lambda: parse_detail(envelope.get("data")))

    def list_transactions(
        self,
        customer_id: int,
        *,
        type: str | None = None,
        from_date: dt.date | None = None,
        to_date: dt.date | None = None,
        page: int = 1,
        per_page: int | None = None,
    ) -> Page[Transaction]:
        params = {
            "type": type or None,
            "from_date": from_date.isoformat() if from_date else None,
            "to_date": to_date.isoformat() if to_date else None,
            "page": max(int(page), 1),
            "per_page": min(per_page, MAX_PER_PAGE) if per_page else None,
        }
        envelope = self._call("GET", f"customers/{_id(customer_id)}/transactions", params=params)
        return _parse(lambda: parse_page(envelope, parse_transaction))

    # --- writes (never retried) ---------------------------------------------

    def create_customer(self, *, values: dict[str, Any]) -> WriteResult:
        body = to_upstream_fields(_clean_write(values))
        envelope = self._call("POST", "customers", json_body=body)
        return _parse(lambda: _write_result(envelope))

    def update_customer(self, customer_id: int, *, changes: dict[str, Any]) -> WriteResult:
        body = to_upstream_fields(_clean_write(changes, keep_blank=True))
        envelope = self._call("PUT", f"customers/{_id(customer_id)}", json_body=body)
        return _parse(lambda: _write_result(envelope))

    def delete_customer(self, customer_id: int) -> WriteResult:
        envelope = self._call("DELETE", f"customers/{_id(customer_id)}")
        return _parse(lambda: _write_result(envelope, with_data=False))

    # --- plumbing -----------------------------------------------------------

    def _call(
        self, method: str, path: str, *, params: dict | None = None, json_body: dict | None = None
    ) -> dict:
        url = f"{self.base_url}/{path}"
        params = {k: v for k, v in (params or {}).items() if v is not None}
        started = time.monotonic()
        _call_deadline.value = started + self.timeout / 2
        response, outcome = None, "error"
        try:
            response = self._send(method, url, params=params, json_body=json_body)
            envelope = _decode(response)
            if response.status_code >= 300:  # error texts reach users: never with our key
                envelope = _redacted(envelope, self._api_key)
            outcome = _request_id(envelope, response.headers) or "-"
            return _checked(method, response, envelope)
        # `from None`: requests' exceptions hold the prepared request, key included.
        except requests.exceptions.ConnectTimeout:
            outcome = "connect-timeout"
            raise UpstreamTimeout(
                "Could not reach the customer service in time. Please try again in a moment."
            ) from None
        except requests.exceptions.ReadTimeout:
            outcome = "read-timeout"
            raise UpstreamTimeout() from None
        except requests.exceptions.RequestException as exc:
            outcome = type(exc).__name__
            raise Unavailable() from None
        finally:
            _call_deadline.value = None
            _log_call(method, path, response, started, outcome)

    def _send(
        self, method: str, url: str, *, params: dict, json_body: dict | None
    ) -> requests.Response:
        """One exchange through the session's adapter (its pool and retries).

        What `Session.request` adds on top (cookies, hooks, redirects, settings
        from the environment) is not used by this API, and was about a quarter
        of the Python work of each call. `responses` still intercepts here.
        """
        request = requests.PreparedRequest()
        request.prepare_method(method)
        request.prepare_url(url, params)
        request.prepare_headers({**self.session.headers, **self._auth_header})
        request.prepare_body(data=None, files=None, json=json_body)
        return self.session.get_adapter(url).send(
            request,
            timeout=(min(self.timeout, 3.05), self.timeout),
            proxies=self.session.proxies,
        )


def _checked(method: str, response: requests.Response, envelope: dict | None) -> dict:
    status = response.status_code
    request_id = _request_id(envelope, response.headers)
    if status == 204 or (method == "DELETE" and 200 <= status < 300 and not response.content):
        return {}  # a delete answered "204 No Content" (or 200 and no body): done
    if 200 <= status < 300:
        if envelope is None or envelope.get("status", "success") != "success":
            raise BadResponse(status=status, request_id=request_id)
        return envelope
    raise _error_for(status, envelope, response, request_id)


def _id(customer_id: int) -> str:
    return quote(str(int(customer_id)), safe="")


def _clean_write(values: dict[str, Any], *, keep_blank: bool = False) -> dict[str, Any]:
    """Blank optional fields: left out on create, sent as null on update (to clear them)."""
    cleaned = {}
    for key, value in values.items():
        if value == "" or value is None:
            if keep_blank:
                cleaned[key] = None
            continue
        cleaned[key] = value
    return cleaned


def _redacted(value, secret: str):
    """`value` (decoded JSON) with every occurrence of `secret` in its strings blanked out."""
    if not secret:
        return value
    if isinstance(value, str):
        return value.replace(secret, "[redacted]")
    if isinstance(value, list):
        return [_redacted(item, secret) for item in value]
    if isinstance(value, dict):
        return {key: _redacted(item, secret) for key, item in value.items()}
    return value


def _decode(response: requests.Response) -> dict | None:
    if not response.content:
        return None
    try:
        body = json.loads(response.content, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return body if isinstance(body, dict) else None


def _request_id(envelope: dict | None, headers=None) -> str | None:
    meta = envelope.get("meta") if envelope else None
    if isinstance(meta, dict) and meta.get("request_id"):
        return str(meta["request_id"])[:100]
    header = headers.get("X-Request-Id") if headers is not None else None
    return header[:100] if header else None


def _message(envelope: dict | None) -> str | None:
    message = envelope.get("message") if envelope else None
    return str(message)[:500] if isinstance(message, str) and message.strip() else None


def _retry_after(response: requests.Response) -> int | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(int(float(value)), 1)
    except (ValueError, OverflowError):
        pass
    try:
        from email.utils import parsedate_to_datetime

        when = parsedate_to_datetime(value)
        return max(int((when - dt.datetime.now(dt.UTC)).total_seconds()), 1)
    except (TypeError, ValueError):
        return None


def _error_for(
    status: int, envelope: dict | None, response: requests.Response, request_id: str | None
) -> UpstreamError:
    kwargs = {"status": status, "request_id": request_id}
    if status in (400, 422):
        errors = parse_field_errors(envelope.get("errors") if envelope else None)
        return ValidationFailed(_message(envelope), errors=errors, **kwargs)
    if status == 401:
        return Unauthorized(**kwargs)
    if status == 403:
        return Forbidden(**kwargs)
    if status == 404:
        return NotFound(_message(envelope), **kwargs)
    if status == 409:
        return Conflict(_message(envelope), **kwargs)
    if status == 429:
        return RateLimited(retry_after=_retry_after(response), **kwargs)
    if status == 504:
        return UpstreamTimeout(**kwargs)
    if status >= 500:
        return Unavailable(**kwargs)
    return BadResponse(**kwargs)


def _write_result(envelope: dict, *, with_data: bool = True) -> WriteResult:
    data = envelope.get("data") if with_data else None
    return WriteResult(
        # Write answers carry the customer without its summary; parse it as a detail.
        customer=parse_detail(data) if data is not None else None,
        message=_message(envelope) or "",
        request_id=_request_id(envelope),
    )


def _parse(build):
    """Run a parser; any shape problem becomes BadResponse."""
    try:
        return build()
    except BadResponse:
        raise
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise BadResponse() from exc


def _log_call(method: str, path: str, response, started: float, outcome: str) -> None:
    """One line per call: never the key, the query string or the body (personal data)."""
    elapsed_ms = (time.monotonic() - started) * 1000
    fields = {
        "upstream_method": method,
        "upstream_path": f"/{path}",
        "duration_ms": round(elapsed_ms, 1),
    }
    if response is None:
        LAST_CALL.update(ok=False, status=None, outcome=outcome, at=time.time(), ms=elapsed_ms)
        logger.warning(
            "upstream %s /%s failed=%s ms=%.0f",
            method,
            path,
            outcome,
            elapsed_ms,
            extra={**fields, "upstream_error": outcome},
        )
        return
    retries = len(getattr(getattr(response.raw, "retries", None), "history", ()) or ())
    status = response.status_code
    LAST_CALL.update(
        ok=status < 500 and status not in (401, 403, 429),
        status=status,
        outcome=outcome,
        at=time.time(),
        ms=elapsed_ms,
    )
    logger.info(
        "upstream %s /%s status=%s ms=%.0f retries=%d request_id=%s",
        method,
        path,
        status,
        elapsed_ms,
        retries,
        outcome,
        extra={**fields, "upstream_status": status, "retries": retries, "request_id": outcome},
    )


# What the last upstream call of this process gave: shown to administrators.
LAST_CALL: dict = {"ok": None, "status": None, "outcome": None, "at": None, "ms": None}


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
                )
    return _client


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
    per_page: int | None = None,
) -> Page[Transaction]:
    return get_client().list_transactions(
        customer_id, type=type, from_date=from_date, to_date=to_date, page=page, per_page=per_page
    )


def create_customer(*, values: dict[str, Any]) -> WriteResult:
    return get_client().create_customer(values=values)


def update_customer(*, customer_id: int, changes: dict[str, Any]) -> WriteResult:
    return get_client().update_customer(customer_id, changes=changes)


def delete_customer(*, customer_id: int) -> WriteResult:
    return get_client().delete_customer(customer_id)
