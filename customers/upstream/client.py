"""`CustomersClient`: the Customers API's documented calls, answered with typed results.

Each call goes through `requests.Session.request` on the pooled session of
`transport`. Each attempt (connect, request, status line, headers and the whole
answer read) is over within the client's timeout from its start (`deadline`);
retries may start only within the first half of it, so a call is over by 1.5 x
the timeout, retries included. A call reads no answer larger than `max_bytes`,
and turns every failure into one of the errors of `errors` (never with the API
key in it). Results are the dataclasses of `types`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Callable
from decimal import Decimal
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import quote

import requests

from .deadline import AttemptBudget, attempt_budget
from .errors import (
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
from .transport import AnswerTooLarge, AnswerTooSlow, new_session, read_body, retry_deadline
from .types import (
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

logger = logging.getLogger("customers.upstream")

MAX_PER_PAGE = 100
MAX_SEARCH_LIMIT = 50
# Retries may start within the first half of the timeout, and each attempt, its answer
# read whole, is over by the timeout from its start: every call is over by 1.5 x the timeout.
RETRY_WINDOW_FACTOR = 0.5
CALL_DEADLINE_FACTOR = 1 + RETRY_WINDOW_FACTOR
DEFAULT_MAX_BYTES = 5_000_000


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
        before_call: Callable[[], None] | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        clock: Callable[[], float] = time.monotonic,
    ):
        """`before_call` runs before each call goes out (e.g. to let go of what the
        caller need not hold while the upstream answers); an error it raises is the
        call's, and nothing is sent. `max_bytes`: the largest answer read."""
        self.base_url = base_url.rstrip("/")
        self.before_call = before_call
        self.timeout = float(timeout)
        self.max_bytes = int(max_bytes)
        self.clock = clock
        self._auth_header = {"Authorization": f"Bearer {api_key}"}
        self._api_key = api_key
        self.session = session or new_session(proxy=proxy)

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
    ) -> Page[Transaction]:
        params = {  # the documented parameters only: no `per_page` on this call
            "type": type or None,
            "from_date": from_date.isoformat() if from_date else None,
            "to_date": to_date.isoformat() if to_date else None,
            "page": max(int(page), 1),
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
        params = {k: v for k, v in (params or {}).items() if v is not None}
        if self.before_call is not None:
            self.before_call()
        started = self.clock()
        response, outcome = None, "error"
        budget = AttemptBudget(
            seconds=self.timeout,
            call_ends=started + self.timeout * CALL_DEADLINE_FACTOR,
            ends=started + self.timeout,
            clock=self.clock,
        )
        try:
            with retry_deadline(self.timeout * RETRY_WINDOW_FACTOR), attempt_budget(budget):
                response = self.session.request(
                    method,
                    f"{self.base_url}/{path}",
                    params=params,
                    json=json_body,
                    headers=self._auth_header,
                    timeout=(min(self.timeout, 3.05), self.timeout),
                    allow_redirects=False,
                    stream=True,  # the body is read by read_body, in time and size
                )
            try:
                body = self._read(response, deadline=budget.ends)  # the last attempt's
            except Exception:
                response = None  # its answer was not read: the call is logged as failed
                raise
            envelope = _decode(body)
            if response.status_code >= 300:  # error texts reach users: never with our key
                envelope = _redacted(envelope, self._api_key)
            outcome = _request_id(envelope, response.headers) or "-"
            return _checked(method, response, envelope, body)
        except AnswerTooLarge:
            outcome = "answer-too-large"
            raise BadResponse() from None
        except AnswerTooSlow:
            outcome = "answer-too-slow"
            raise UpstreamTimeout() from None
        # `from None`: requests' exceptions hold the prepared request, key included.
        except requests.exceptions.ConnectTimeout:
            outcome = "connect-timeout"
            raise UpstreamTimeout(
                "Could not reach the customer service in time. Please try again in a moment."
            ) from None
        except requests.exceptions.ReadTimeout:
            outcome = "headers-too-slow" if budget.cut else "read-timeout"
            raise UpstreamTimeout() from None
        except requests.exceptions.RequestException as exc:
            outcome = type(exc).__name__
            raise Unavailable() from None
        finally:
            _log_call(method, path, response, self.clock() - started, outcome)

    def _read(self, response: requests.Response, *, deadline: float) -> bytes:
        try:
            return read_body(
                response,
                deadline=deadline,
                max_bytes=self.max_bytes,
                clock=self.clock,
            )
        finally:
            response.close()  # read whole: back to the pool; given up: the connection closed


def _checked(method: str, response: requests.Response, envelope: dict | None, body: bytes) -> dict:
    status = response.status_code
    request_id = _request_id(envelope, response.headers)
    if status == 204 or (method == "DELETE" and 200 <= status < 300 and not body):
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


def _decode(body: bytes) -> dict | None:
    if not body:
        return None
    try:
        decoded = json.loads(body, parse_float=Decimal, parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    return decoded if isinstance(decoded, dict) else None


def _no_constant(name: str):
    """Python's json reads NaN, Infinity and -Infinity, which JSON has not: unreadable."""
    raise ValueError(f"not JSON: {name}")


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


def _log_call(method: str, path: str, response, elapsed: float, outcome: str) -> None:
    """One line per call: never the key, the query string or the body (personal data)."""
    elapsed_ms = elapsed * 1000
    fields = {
        "upstream_method": method,
        "upstream_path": f"/{path}",
        "duration_ms": round(elapsed_ms, 1),
    }
    if response is None:
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
