"""Who pays for upstream calls: each user's share, CTAX_USER_CALLS_PER_MINUTE calls a minute.

Every call through the door (`customers.upstream`) is charged, before it is sent, to the payer
bound where it runs: the signed-in user whose request it serves
(`middleware.UpstreamPayerMiddleware` binds them for the whole request, a streamed
body included), or nobody. Nothing is bound in background jobs and management
commands (they are paced by their own setting); `paid_by(user_id)` binds a payer
around any code, `paid_by(None)` unbinds. A call that would pass its payer's share of
the current minute is not sent: `TooManyCalls` (429, "try again in N seconds").

A page's fan-out (`fanout.Budget`) pays for all its calls at once on the request's
own thread (`prepaid`), all or none, so that its worker threads only do HTTP; what
they do not spend (calls given up at the page's deadline) is given back. Worker
threads carry the payer by running each call in a copy of the request's context
(`carried`).

The count is one truth for every worker and instance: in the shared cache when it
counts atomically (Redis, Memcached), else in the database: one row per user and
minute, bumped by a single conditional UPDATE (Django's database cache increments
by a read then a write, which loses counts when requests race).
"""

from __future__ import annotations

import contextvars
import logging
import math
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.memcached import BaseMemcachedCache
from django.core.cache.backends.redis import RedisCache
from django.db import IntegrityError, transaction
from django.db.models import F

from .models import UpstreamCallCount
from .upstream.errors import TooManyCalls

logger = logging.getLogger("customers.upstream")

MINUTE = 60
ATOMIC_CACHES = (RedisCache, BaseMemcachedCache)  # their incr is one atomic command

_payer: ContextVar[int | None] = ContextVar("upstream_payer", default=None)
_allowance: ContextVar[_Allowance | None] = ContextVar("upstream_prepaid_calls", default=None)


# --- who pays -----------------------------------------------------------------


@contextmanager
def paid_by(user_id: int | None) -> Iterator[None]:
    """Upstream calls made in this block (fan-outs included) are charged to this user;
    None: to nobody."""
    payer_token = _payer.set(user_id)
    allowance_token = _allowance.set(None)
    try:
        yield
    finally:
        _allowance.reset(allowance_token)
        _payer.reset(payer_token)


def payer() -> int | None:
    """The user charged for calls made here, or None."""
    return _payer.get()


def carried(call: Callable[[], Any]) -> Callable[[], Any]:
    """`call`, to run on another thread as part of this one's work (same payer)."""
    context = contextvars.copy_context()  # here, on the thread handing the call out
    return lambda: context.run(call)


def paid_while_streaming(chunks: Iterable, user_id: int | None) -> Iterator:
    """A streamed body whose calls, made as it is sent, are charged to `user_id`."""
    iterator = iter(chunks)
    while True:
        with paid_by(user_id):
            chunk = next(iterator, _END)
        if chunk is _END:
            return
        yield chunk


_END = object()


# --- charging -----------------------------------------------------------------


def before_call() -> None:
    """Charge one call about to be sent; TooManyCalls (and nothing sent) past the share."""
    allowance = _allowance.get()
    if allowance is not None and allowance.spend_one():
        return
    _charge(1)


@contextmanager
def prepaid(calls: int) -> Iterator[None]:
    """Pay here for `calls` calls made in this block, on any thread that carries this
    context: all of them, or none and TooManyCalls. What is unspent is given back."""
    user_id, minute = _payer.get(), _charge(calls)
    if minute is None:
        yield
        return
    allowance = _Allowance(calls)
    token = _allowance.set(allowance)
    try:
        yield
    finally:
        _allowance.reset(token)
        unspent = allowance.close()
        if unspent:
            _counter().give_back(user_id, minute, unspent)


def _charge(calls: int) -> int | None:
    """Count `calls` for the payer in this minute (returned); None when nobody pays."""
    user_id, limit = _payer.get(), settings.CTAX_USER_CALLS_PER_MINUTE
    if user_id is None or not limit or calls <= 0:
        return None
    now = time.time()
    minute = int(now // MINUTE)
    if not _counter().take(user_id, minute, calls, limit):
        logger.warning("upstream call refused: user %s spent %s calls this minute", user_id, limit)
        raise TooManyCalls(retry_after=max(1, math.ceil((minute + 1) * MINUTE - now)))
    return minute


class _Allowance:
    """Calls paid for in advance by one fan-out, spent by its calls on any thread."""

    def __init__(self, calls: int):
        self._left = calls
        self._lock = threading.Lock()

    def spend_one(self) -> bool:
        with self._lock:
            if self._left <= 0:
                return False
            self._left -= 1
            return True

    def close(self) -> int:
        """No more spending; what was left."""
        with self._lock:
            left, self._left = self._left, 0
        return left


# --- where the count lives ----------------------------------------------------


def _counter() -> _CacheCount | _DatabaseCount:
    cache = caches["default"]
    return _CacheCount(cache) if isinstance(cache, ATOMIC_CACHES) else _DatabaseCount()


class _CacheCount:
    def __init__(self, cache):
        self.cache = cache

    def take(self, user_id: int, minute: int, calls: int, limit: int) -> bool:
        key = _cache_key(user_id, minute)
        self.cache.add(key, 0, timeout=2 * MINUTE)
        try:
            total = self.cache.incr(key, calls)
        except ValueError:  # evicted since add: refused rather than counted short
            return False
        if total <= limit:
            return True
        self.cache.decr(key, calls)
        return False

    def give_back(self, user_id: int, minute: int, calls: int) -> None:
        with suppress(ValueError):  # expired: nothing to give back to
            self.cache.decr(_cache_key(user_id, minute), calls)


def _cache_key(user_id: int, minute: int) -> str:
    return f"upstream-calls:{user_id}:{minute}"


class _DatabaseCount:
    def take(self, user_id: int, minute: int, calls: int, limit: int) -> bool:
        if calls > limit:
            return False
        room = UpstreamCallCount.objects.filter(
            user_id=user_id, minute=minute, calls__lte=limit - calls
        )
        if room.update(calls=F("calls") + calls):
            return True
        try:
            with transaction.atomic():
                UpstreamCallCount.objects.create(user_id=user_id, minute=minute, calls=calls)
        except IntegrityError:  # the minute has its row: full, or just made by another request
            return bool(room.update(calls=F("calls") + calls))
        UpstreamCallCount.objects.filter(user_id=user_id, minute__lt=minute).delete()
        return True

    def give_back(self, user_id: int, minute: int, calls: int) -> None:
        UpstreamCallCount.objects.filter(user_id=user_id, minute=minute, calls__gte=calls).update(
            calls=F("calls") - calls
        )
