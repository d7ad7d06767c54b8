"""Each attempt of an upstream call is over, headers included, by its one deadline.

urllib3's timeouts bound each socket operation, not their sum: an upstream sending
its header lines slowly, each within the read timeout, could hold a thread for ever.
So the client sets an `AttemptBudget` for the call (`attempt_budget`), and our
connections (`DeadlineHTTPConnection`, `DeadlineHTTPSConnection`: the
`ConnectionCls` of the pools `DeadlineAdapter` gives the session, direct or through
an HTTP(S) proxy; not through a SOCKS proxy, whose connections are urllib3's) start
an attempt when they connect or send a request: the process's one watcher thread
(`_Watchman`) shuts the socket down if the status line and headers are not all in by
the attempt's deadline. Such an attempt ends as a read timeout (`TimeoutError`, which urllib3
reports as its `ReadTimeoutError`), and urllib3 closes its connection, as after any
failure: it is never reused. The body is then read by `transport.read_body` within
the same deadline (`AttemptBudget.ends`).

Public APIs only: http.client's `sock`, urllib3's `ConnectionCls` and the pool
manager's `pool_classes_by_scheme` (as urllib3's own SOCKS manager uses them), and
requests' `HTTPAdapter.init_poolmanager`/`proxy_manager_for`.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from http.client import HTTPException

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

logger = logging.getLogger("customers.upstream")


@dataclass
class AttemptBudget:
    """Each attempt of one call may take `seconds`, and none may outlive `call_ends`.

    Times are `clock()` readings. `ends`: the deadline of the attempt under way (or,
    before the first starts, of one starting now); `cut`: an attempt was cut short.
    """

    seconds: float
    call_ends: float
    ends: float
    clock: Callable[[], float] = time.monotonic
    cut: bool = False

    def start_attempt(self) -> float:
        """Start an attempt now; the seconds it has."""
        now = self.clock()
        self.ends = min(now + self.seconds, self.call_ends)
        return self.ends - now


_budget: ContextVar[AttemptBudget | None] = ContextVar("upstream_attempt_budget", default=None)


@contextmanager
def attempt_budget(budget: AttemptBudget) -> Iterator[AttemptBudget]:
    """Within this block, each upstream attempt is bounded by `budget`."""
    token = _budget.set(budget)
    try:
        yield budget
    finally:
        _budget.reset(token)


class HeadersTooSlow(TimeoutError):
    """The status line and headers were not all in by the attempt's deadline."""

    def __init__(self):
        super().__init__("the upstream's headers were not all in by the deadline")


class _Watch:
    """One attempt's deadline: at `at` (a `time.monotonic()` reading) the watchman shuts
    the connection's socket down, unless the attempt was stopped before."""

    def __init__(self, connection: HTTPConnection, seconds: float, budget: AttemptBudget):
        self.connection: HTTPConnection | None = connection
        self.budget = budget
        self.at = time.monotonic() + max(seconds, 0.0)
        self.lock = threading.Lock()
        self.stopped = self.cut = self.reading_headers = False
        _watchman.keep(self)

    def fire(self) -> None:
        with self.lock:
            if self.stopped:
                return
            self.cut = self.budget.cut = True
            sock = self.connection.sock
        if sock is not None:
            with suppress(OSError):  # already closed
                sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked read: it sees the end

    def stop(self) -> bool:
        """Disarm the deadline; whether it had already cut the attempt. The connection is
        let go at once: the watch waits in the watchman's queue until its deadline."""
        with self.lock:
            self.stopped = True
            self.connection = None
        return self.cut


class _Watchman:
    """The process's one thread that fires each attempt's deadline as it falls due.

    One thread for every attempt, started with the first: a timer thread per attempt
    cost each upstream call a thread start. A stopped attempt stays queued until its
    deadline (it is only skipped then), so keeping one is a heap push, and the thread is
    woken only when the new deadline is the nearest."""

    def __init__(self):
        self.due = threading.Condition()
        self.queue: list[tuple[float, int, _Watch]] = []
        self.order = itertools.count()  # ties: first armed, first fired
        self.thread: threading.Thread | None = None

    def keep(self, watch: _Watch) -> None:
        with self.due:
            heapq.heappush(self.queue, (watch.at, next(self.order), watch))
            if self.thread is None:
                self.thread = threading.Thread(
                    target=self.run, name="upstream-deadlines", daemon=True
                )
                self.thread.start()
            elif self.queue[0][2] is watch:
                self.due.notify()

    def run(self) -> None:
        while True:
            watch = self.next_due()
            try:
                watch.fire()
            except Exception:  # one attempt's failure must not end every later deadline
                logger.exception("upstream deadline: cutting an attempt failed")

    def next_due(self) -> _Watch:
        with self.due:
            while True:
                while self.queue and self.queue[0][2].stopped:
                    heapq.heappop(self.queue)
                if not self.queue:
                    self.due.wait()
                    continue
                wait = self.queue[0][0] - time.monotonic()
                if wait <= 0:
                    return heapq.heappop(self.queue)[2]
                self.due.wait(wait)


_watchman = _Watchman()


def _new_watchman_after_fork() -> None:
    """A forked worker has no watcher thread: it starts its own with its first attempt."""
    global _watchman
    _watchman = _Watchman()


os.register_at_fork(after_in_child=_new_watchman_after_fork)


class DeadlineConnectionMixin:
    """Arms a `_Watch` when an attempt starts (connect or request), stops it once the
    headers are in (`getresponse`) or the connection is closed."""

    deadline_watch: _Watch | None = None

    def arm_deadline(self) -> None:
        budget = _budget.get()
        watch = self.deadline_watch
        if budget is not None and (watch is None or watch.stopped):
            self.deadline_watch = _Watch(self, budget.start_attempt(), budget)

    def connect(self) -> None:
        self.arm_deadline()
        super().connect()

    def request(self, *args, **kwargs) -> None:
        self.arm_deadline()
        super().request(*args, **kwargs)

    def getresponse(self):
        # On HeadersTooSlow urllib3 closes (discards) this connection, as on any failure.
        watch = self.deadline_watch
        if watch is None:
            return super().getresponse()
        watch.reading_headers = True
        try:
            if watch.cut:  # cut before the request was even sent
                raise HeadersTooSlow()
            try:
                response = super().getresponse()
            except (OSError, HTTPException) as exc:
                if watch.stop():
                    raise HeadersTooSlow() from exc
                raise
            if watch.stop():  # the socket was shut down: the headers "ended" early
                response.close()
                raise HeadersTooSlow()
            return response
        finally:
            self.deadline_watch = None

    def close(self) -> None:
        watch = self.deadline_watch
        if watch is not None and watch.stop() and watch.reading_headers:
            # http.client closes a connection whose headers were cut short; urllib3 will
            # (it discards it on HeadersTooSlow). Closed now, urllib3 would take it for one
            # that never reached its proxy and report a ProxyError, not the timeout.
            return
        super().close()


class DeadlineHTTPConnection(DeadlineConnectionMixin, HTTPConnection):
    pass


class DeadlineHTTPSConnection(DeadlineConnectionMixin, HTTPSConnection):
    pass


class DeadlineHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = DeadlineHTTPConnection


class DeadlineHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = DeadlineHTTPSConnection


DEADLINE_POOLS = {"http": DeadlineHTTPConnectionPool, "https": DeadlineHTTPSConnectionPool}


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter whose pools (direct or through an HTTP proxy) use our connections."""

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = DEADLINE_POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs):
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):  # SOCKS has connection classes of its own
            manager.pool_classes_by_scheme = DEADLINE_POOLS
        return manager
