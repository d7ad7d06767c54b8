"""A page's budget for calls to the upstream: a few at a time, one deadline.

A page that needs several upstream calls (the history with its totals, the
chart, the statement, a quick search over several branches) starts one
`Budget` when it begins to fan out. Its calls run on threads of its own, at
most `MAX_PARALLEL` at a time: one manager's twenty chart pages queue behind
each other, never in front of another user's page (there is no queue shared
between requests). Whatever is not back when the page's deadline passes
(`CTAX_PAGE_DEADLINE` seconds, by default `CTAX_API_TIMEOUT`, from the start
of the fan-out) is given up: calls not yet started never start, and the caller
finds `NOT_LOADED` in their place instead of an exception.

Worker threads only do HTTP through the door (`customers.upstream`); checks that read the database
stay on the request's own thread. So does paying for the calls: the user's call
budget (`call_budget`) is charged for all of a gather's calls before the first is
sent (all, or none and the 429 `TooManyCalls`, never tolerated), and each call runs
in a copy of the request's context, so its payer is known on the worker thread.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from itertools import islice
from typing import Any

from django.conf import settings

from . import call_budget
from .upstream.errors import TooManyCalls, UpstreamError, UpstreamTimeout

MAX_PARALLEL = 4  # upstream calls of one page in flight at once


class NotLoaded:
    """What a call gave in its place when it missed the deadline or failed (if tolerated)."""

    __slots__ = ("reason",)

    def __init__(self, reason: str):
        self.reason = reason

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return f"NotLoaded({self.reason!r})"


NOT_LOADED = NotLoaded("deadline")


def page_deadline_seconds() -> float:
    configured = settings.CTAX_PAGE_DEADLINE
    return float(configured if configured is not None else settings.CTAX_API_TIMEOUT)


class Budget:
    """One page's fan-out budget: the clock starts when the budget is made."""

    def __init__(self, *, seconds: float | None = None, parallel: int | None = None):
        self.seconds = page_deadline_seconds() if seconds is None else seconds
        self.parallel = max(1, parallel or MAX_PARALLEL)
        self._deadline = time.monotonic() + self.seconds

    @property
    def left(self) -> float:
        return max(0.0, self._deadline - time.monotonic())

    @property
    def expired(self) -> bool:
        return self.left <= 0

    def gather(
        self,
        *calls: Callable[[], Any],
        tolerate: bool = False,
        meanwhile: Callable[[], object] | None = None,
    ) -> list[Any]:
        """Run the calls side by side; their results in order, NOT_LOADED for the late ones.

        The first error raised (in call order) is raised here and the calls not yet
        started are dropped; with `tolerate`, an upstream error is a `NotLoaded` instead
        (but not TooManyCalls: the user is told to wait, not shown part of a page).
        `meanwhile` runs on the caller's thread once the calls are sent: database reads
        the page needs whatever the upstream answers are done while it answers.
        """
        if not calls:
            return []
        if self.expired:
            return [NOT_LOADED for _ in calls]
        with call_budget.prepaid(len(calls)):
            executor = ThreadPoolExecutor(
                max_workers=min(self.parallel, len(calls)), thread_name_prefix="upstream"
            )
            try:
                futures = [executor.submit(call_budget.carried(call)) for call in calls]
                if meanwhile is not None:
                    meanwhile()
                wait(futures, timeout=self.left, return_when=_when(tolerate))
            finally:
                # Late calls are abandoned, not awaited: each ends at its own HTTP timeout.
                executor.shutdown(wait=False, cancel_futures=True)
        return [_outcome(future, tolerate) for future in _raise_first_error(futures, tolerate)]

    def gather_writes(self, *calls: Callable[[], Any]) -> list[Any]:
        """Run the writes side by side; their results in order, NOT_LOADED for those the
        deadline passed before they started (they are never sent).

        Unlike `gather`, a write already started is waited for to its end, never
        abandoned: its outcome must be settled (each ends at its own HTTP timeout). The
        calls must not raise (the write protocol hands in calls that return their error).
        """
        if not calls:
            return []

        def unless_late(call):
            return lambda: NOT_LOADED if self.expired else call()

        with (
            call_budget.prepaid(len(calls)),
            ThreadPoolExecutor(
                max_workers=min(self.parallel, len(calls)), thread_name_prefix="upstream-write"
            ) as executor,
        ):
            futures = [executor.submit(call_budget.carried(unless_late(call))) for call in calls]
        return [future.result() for future in futures]

    def require(
        self, *calls: Callable[[], Any], meanwhile: Callable[[], object] | None = None
    ) -> list[Any]:
        """As `gather`, but every result is needed: a late one is the usual timeout error."""
        results = self.gather(*calls, meanwhile=meanwhile)
        if any(isinstance(result, NotLoaded) for result in results):
            raise UpstreamTimeout()
        return results


def in_order(calls: Iterable[Callable[[], Any]], *, parallel: int = MAX_PARALLEL) -> Iterator[Any]:
    """The calls' results in their order, `parallel` of them in flight ahead of the reader.

    For streamed exports, which have no page deadline: each call ends at its own HTTP
    timeout, and the first error is raised where its result would have come. Closing
    the iterator (a download cancelled) drops the calls not yet started. Each call is
    paid for on the reader's thread as it is handed out; one past the user's share is
    never sent, and its TooManyCalls comes where its result would have.
    """
    calls = iter(calls)
    executor = ThreadPoolExecutor(max_workers=max(1, parallel), thread_name_prefix="upstream")
    try:
        in_flight = deque(_paid_submit(executor, call) for call in islice(calls, parallel))
        while in_flight:
            result = in_flight.popleft().result()
            following = next(calls, None)
            if following is not None:
                in_flight.append(_paid_submit(executor, following))
            yield result
    finally:
        executor.shutdown(wait=False, cancel_futures=True)


def _paid_submit(executor: ThreadPoolExecutor, call: Callable[[], Any]) -> Future:
    try:
        call_budget.before_call()
    except TooManyCalls as refused:
        future: Future = Future()
        future.set_exception(refused)
        return future
    return executor.submit(call)


def _when(tolerate: bool) -> str:
    return "ALL_COMPLETED" if tolerate else FIRST_EXCEPTION


def _raise_first_error(futures: list[Future], tolerate: bool) -> list[Future]:
    for future in futures:
        if not future.done() or future.cancelled():
            continue
        error = future.exception()
        if error is not None and not (tolerate and _tolerable(error)):
            for other in futures:
                other.cancel()
            raise error
    return futures


def _tolerable(error: BaseException) -> bool:
    return isinstance(error, UpstreamError) and not isinstance(error, TooManyCalls)


def _outcome(future: Future, tolerate: bool) -> Any:
    if not future.done() or future.cancelled():
        future.cancel()  # not started yet: it never will
        return NOT_LOADED
    if tolerate and future.exception() is not None:
        return NotLoaded(type(future.exception()).__name__)
    return future.result()
