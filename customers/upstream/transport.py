"""The HTTP session of the upstream door and its retry policy.

Reads (GET) are retried on refused connections, 502/503/504 and 429, but only
while a retry can start before the call's retry deadline (the first half of its
time budget); a read that timed out is never retried (`read=False`), and writes
are never retried at all. Everything here is urllib3's documented `Retry`:
its parameters, plus `increment` and `get_retry_after` overridden through
their public signatures.

Each attempt, headers included, is bounded by its deadline (`deadline`), and an
answer's body is read by `read_body` as it arrives, within the same deadline and
up to a size limit: a slow-dripping or oversized answer is given up, never held
on to nor read whole into memory.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from http.cookiejar import DefaultCookiePolicy

import requests
from urllib3.exceptions import (
    DecodeError,
    HTTPError,
    InvalidHeader,
    MaxRetryError,
    ProtocolError,
    ReadTimeoutError,
    ResponseError,
)
from urllib3.util.retry import Retry

from .deadline import DeadlineAdapter

RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
READ_ERRORS = (ReadTimeoutError, ProtocolError)

# When the running call's last retry may start (time.monotonic()), or None: no limit.
_retry_deadline: ContextVar[float | None] = ContextVar("upstream_retry_deadline", default=None)


@contextmanager
def retry_deadline(seconds: float) -> Iterator[None]:
    """Within this block, upstream retries may only start in the next `seconds`."""
    token = _retry_deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _retry_deadline.reset(token)


class BudgetRetry(Retry):
    """urllib3 `Retry` that never retries a write, nor past the call's retry deadline.

    A 429 whose Retry-After would end past that deadline is handed back at once,
    so the user is told to come back instead of being kept waiting.
    """

    def increment(
        self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None
    ):
        is_write = method is not None and method.upper() not in self.allowed_methods
        if is_write and not isinstance(error, READ_ERRORS):
            # urllib3 retries refused connections whatever the method; we never resend a write.
            # (Read errors go on to urllib3, which re-raises them as they are: read=False.)
            raise MaxRetryError(_pool, url, error or ResponseError("write not retried"))
        new_retry = super().increment(method, url, response, error, _pool, _stacktrace)
        deadline = _retry_deadline.get()
        if deadline is not None and time.monotonic() + new_retry.wait_before(response) > deadline:
            raise MaxRetryError(_pool, url, error or ResponseError("retry budget spent"))
        return new_retry

    def wait_before(self, response) -> float:
        """What urllib3's `sleep()` would wait before the next try (Retry-After, else backoff)."""
        wait = None
        if response is not None and self.respect_retry_after_header:
            wait = self.get_retry_after(response)
        # As in urllib3's sleep(): no (or a zero) Retry-After means the backoff.
        return wait or self.get_backoff_time()

    def get_retry_after(self, response):
        # urllib3 raises InvalidHeader on e.g. "Retry-After: soon"; treat it as absent.
        try:
            return super().get_retry_after(response)
        except InvalidHeader:
            return None


def make_retry() -> BudgetRetry:
    return BudgetRetry(
        total=3,
        connect=2,
        read=False,  # a read that timed out is not tried again
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


def new_session(*, pool_size: int = 32, proxy: str | None = None) -> requests.Session:
    """A keep-alive session for the upstream: pooled, retrying, blind to the environment."""
    session = requests.Session()
    # No proxy or netrc lookups in the environment on every call (they cost more than
    # the rest of the client): a proxy, if the network needs one, is set explicitly.
    session.trust_env = False
    if proxy:
        session.proxies = {"http": proxy, "https": proxy}
    # One session serves every user: never carry an upstream cookie from one call to the next.
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    adapter = DeadlineAdapter(pool_connections=4, pool_maxsize=pool_size, max_retries=make_retry())
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.update({"Accept": "application/json", "User-Agent": "ctaxoffice/0.1"})
    return session


# --- reading an answer ---------------------------------------------------------

CHUNK_BYTES = 64 * 1024


class AnswerTooLarge(Exception):
    """The answer is (or says it is) larger than the client reads."""


class AnswerTooSlow(Exception):
    """The answer was not all in by the call's deadline."""


def read_body(
    response: requests.Response,
    *,
    deadline: float,
    max_bytes: int,
    clock: Callable[[], float] = time.monotonic,
) -> bytes:
    """The body of a response requested with `stream=True`, all in by `deadline` (`clock()`).

    A Content-Length above `max_bytes` is refused before anything is read; otherwise the
    body is read one network read at a time (urllib3's `read1`: a dripping answer cannot
    hold one read open for a whole chunk), each read waiting no longer than what is left,
    and given up as soon as it passes `max_bytes` (decoded) or the deadline.
    Failures of the connection are requests' own exceptions, as for any other read.
    """
    if _declared_length(response) > max_bytes:
        raise AnswerTooLarge()
    parts, size = [], 0
    while True:
        left = deadline - clock()
        if left <= 0:
            raise AnswerTooSlow()
        _wait_at_most(response, left)
        part = _read_some(response)
        if not part:
            return b"".join(parts)
        size += len(part)
        if size > max_bytes:
            raise AnswerTooLarge()
        parts.append(part)


def _declared_length(response: requests.Response) -> int:
    try:
        return int(response.headers.get("Content-Length") or 0)
    except ValueError:
        return 0


def _wait_at_most(response: requests.Response, seconds: float) -> None:
    """The next read of the body waits at most `seconds` for data (real sockets only)."""
    sock = getattr(response.raw.connection, "sock", None)
    if sock is not None:
        sock.settimeout(seconds)


def _read_some(response: requests.Response) -> bytes:
    # As requests' iter_content does, urllib3's errors become requests' own.
    try:
        return response.raw.read1(CHUNK_BYTES, decode_content=True) or b""
    except ReadTimeoutError as exc:
        raise requests.exceptions.ReadTimeout(str(exc)) from None
    except DecodeError as exc:
        raise requests.exceptions.ContentDecodingError(str(exc)) from None
    except HTTPError as exc:
        raise requests.exceptions.ChunkedEncodingError(str(exc)) from None
