"""An answer is read within its attempt's one deadline and up to CTAX_API_MAX_BYTES.

A slow-dripping answer, headers or body (each piece well within the per-read timeout),
is given up at its attempt's deadline (the timeout from the attempt's start, no later
than 1.5 x the timeout from the call's), and an answer larger than the limit is "could
not read" (502) without being read whole. Real sockets on the loopback server; the clock is
injected where a test needs time to pass.
"""

from __future__ import annotations

import itertools
import json
import threading
import time

import pytest

from customers.upstream import door
from customers.upstream.client import CALL_DEADLINE_FACTOR, CustomersClient
from customers.upstream.deadline import AttemptBudget
from customers.upstream.errors import BadResponse, UpstreamTimeout
from tests.fakes import API_KEY, BASE_URL
from tests.services.conftest import Reply

ROW = {"id": 1, "customer_no": "C1", "name": "ABC", "branch_id": "00"}


def listing(rows: int) -> dict:
    return {"status": "success", "data": [ROW] * rows, "meta": {"total": rows}}


def size_of(body: dict) -> int:
    return len(json.dumps(body).encode())


@pytest.fixture
def door_on(settings, loopback):
    """The app's own door (services) pointed at the loopback server, key and all."""
    settings.CTAX_API_BASE_URL = loopback.base_url
    settings.CTAX_API_KEY = API_KEY
    settings.CTAX_API_TIMEOUT = 2
    return settings


def test_answer_announced_larger_than_the_limit_is_not_read(door_on, loopback):
    door_on.CTAX_API_MAX_BYTES = 1000
    body = listing(60)  # about 4 kB, dripped: reading it all would take about 5 s
    loopback.queue(Reply(200, body, drip=0.02))
    started = time.monotonic()
    with pytest.raises(BadResponse) as info:
        door.get_client().list_customers()
    assert time.monotonic() - started < 1.0  # refused on its Content-Length
    assert info.value.http_status == 502
    assert "could not read" in info.value.message


def test_answer_without_length_is_given_up_past_the_limit(door_on, loopback, caplog):
    door_on.CTAX_API_MAX_BYTES = 10_000
    loopback.queue(Reply(200, listing(800), length=False))  # about 50 kB, until the close
    with pytest.raises(BadResponse):
        door.get_client().list_customers()
    (record,) = [r for r in caplog.records if r.name == "customers.upstream"]
    assert record.upstream_error == "answer-too-large"


def test_answer_of_exactly_the_limit_is_read(loopback):
    body = listing(3)
    loopback.queue(Reply(200, body, length=False))
    client = CustomersClient(base_url=loopback.base_url, api_key=API_KEY, timeout=2)
    client.max_bytes = size_of(body)
    assert len(client.list_customers().items) == 3


def test_default_limit_is_5_mb(settings):
    assert settings.CTAX_API_MAX_BYTES == 5_000_000
    assert door.get_client().max_bytes == 5_000_000


def test_dripping_answer_is_given_up_at_the_attempt_deadline(loopback):
    # Each 16-byte piece comes 0.05 s after the last, well within the 0.4 s read
    # timeout: only the attempt's one deadline (0.4 s) ends it, not the ~6 s drip.
    loopback.queue(Reply(200, listing(30), drip=0.05))
    started = time.monotonic()
    with pytest.raises(UpstreamTimeout):
        loopback.client(timeout=0.4).list_customers()
    elapsed = time.monotonic() - started
    assert 0.4 * 0.9 < elapsed < 0.4 * 5


def test_dripping_headers_are_given_up_at_the_attempt_deadline(loopback, caplog):
    # One header line every 0.1 s, well within the 0.3 s read timeout, for 9 s.
    loopback.queue(Reply(200, listing(1), header_drip=0.1))
    started = time.monotonic()
    with pytest.raises(UpstreamTimeout) as info:
        loopback.client(timeout=0.3).list_customers()
    assert time.monotonic() - started < 1.5
    assert info.value.http_status == 504
    (record,) = [r for r in caplog.records if r.name == "customers.upstream"]
    assert record.upstream_error == "headers-too-slow"


def test_connection_cut_at_the_deadline_is_not_reused(loopback, connect_attempts):
    loopback.queue(Reply(200, listing(1), header_drip=0.1), (200, listing(2)))
    client = loopback.client(timeout=0.3)
    with pytest.raises(UpstreamTimeout):
        client.list_customers()
    assert len(client.list_customers().items) == 2
    assert len(connect_attempts) == 2  # the second call on a new connection


def test_dripping_headers_through_the_proxy_are_given_up(loopback):
    # The loopback server plays the proxy (CTAX_API_PROXY): it answers the absolute URL.
    proxy = loopback.base_url.removesuffix("/api/v1")
    loopback.queue(Reply(200, listing(1), header_drip=0.1))
    client = CustomersClient(
        base_url="http://upstream.test/api/v1", api_key=API_KEY, timeout=0.3, proxy=proxy
    )
    started = time.monotonic()
    with pytest.raises(UpstreamTimeout):
        client.list_customers()
    assert time.monotonic() - started < 1.5
    assert loopback.seen[0].path.startswith("http://upstream.test/api/v1/customers")


def test_a_retry_has_the_timeout_from_its_own_start(loopback):
    # The first attempt is answered 503 after 0.6 s (a retry may start until 1 s: room
    # for a busy machine); the retry's headers, dripping for 18 s, are cut 2 s after the
    # retry started (at about 2.6 s), not 2 s after the call started.
    loopback.queue(Reply(503, delay=0.6), Reply(200, listing(1), header_drip=0.2))
    started = time.monotonic()
    with pytest.raises(UpstreamTimeout):
        loopback.client(timeout=2).list_customers()
    elapsed = time.monotonic() - started
    assert len(loopback.seen) == 2
    assert 0.6 + 2 * 0.9 < elapsed < 2 * CALL_DEADLINE_FACTOR * 3


def test_body_is_read_within_the_timeout_from_the_attempt_start(upstream):
    """Injected clock: 2.5 s after the start of a 2 s attempt its body is late (not 3 s)."""
    upstream.on("GET", "customers", json=listing(2))
    ticks = itertools.chain([0.0], itertools.repeat(2.5))
    client = CustomersClient(
        base_url=BASE_URL, api_key=API_KEY, timeout=2, clock=lambda: next(ticks)
    )
    with pytest.raises(UpstreamTimeout):
        client.list_customers()


def test_each_attempt_has_the_timeout_within_the_call_bound():
    now = [10.0]
    budget = AttemptBudget(
        seconds=2, call_ends=10 + 2 * CALL_DEADLINE_FACTOR, ends=12, clock=lambda: now[0]
    )
    now[0] = 10.5  # a retry half a second into the call
    assert budget.start_attempt() == 2
    assert budget.ends == 12.5
    now[0] = 12.2  # (retries start in the first half: this one only to show the cap)
    assert budget.start_attempt() == pytest.approx(0.8)
    assert budget.ends == 13


def test_deadline_counts_from_the_start_of_the_call(upstream):
    """Injected clock: the first 64 kB come in time, then the clock is past the deadline."""
    upstream.on("GET", "customers", json=listing(2000))  # about 130 kB
    late = itertools.chain([0.0, 0.0], itertools.repeat(100.0))
    client = CustomersClient(
        base_url=BASE_URL, api_key=API_KEY, timeout=2, clock=lambda: next(late)
    )
    with pytest.raises(UpstreamTimeout):
        client.list_customers()
    on_time = CustomersClient(base_url=BASE_URL, api_key=API_KEY, timeout=2, clock=lambda: 0.0)
    assert len(on_time.list_customers().items) == 2000


def test_answers_read_whole_keep_the_connection(loopback, connect_attempts):
    loopback.queue((200, listing(1)), (200, listing(2)))
    client = loopback.client()
    client.list_customers()
    client.list_customers()
    assert len(connect_attempts) == 1  # keep-alive: the second call reused the first's


def test_answer_given_up_does_not_leave_its_rest_on_a_pooled_connection(loopback):
    loopback.queue((200, listing(800)), (200, listing(2)))  # keep-alive, the first unread
    client = loopback.client()
    client.max_bytes = 1000
    with pytest.raises(BadResponse):
        client.list_customers()
    client.max_bytes = 1_000_000
    assert len(client.list_customers().items) == 2


def test_every_attempt_is_watched_by_the_one_watcher_thread(loopback, monkeypatch):
    started_here = []  # threads started by the calling thread (the loopback server starts its own)
    start = threading.Thread.start

    def counted_start(thread):
        if threading.current_thread() is threading.main_thread():
            started_here.append(thread.name)
        start(thread)

    monkeypatch.setattr(threading.Thread, "start", counted_start)
    loopback.queue(*[(200, listing(1))] * 20)
    client = loopback.client()
    for _ in range(20):
        client.list_customers()

    assert started_here in ([], ["upstream-deadlines"])  # the watcher, if not yet running
    watchers = [t for t in threading.enumerate() if t.name == "upstream-deadlines"]
    assert len(watchers) == 1


def test_a_near_deadline_is_kept_though_a_later_one_was_armed_first(loopback):
    # A call with a 30 s timeout is under way (its deadline queued first) when a call
    # with a 0.3 s timeout meets dripping headers: the later-armed, nearer deadline fires.
    loopback.queue(Reply(200, listing(1), delay=1.0), Reply(200, listing(1), header_drip=0.1))
    patient = threading.Thread(target=loopback.client(timeout=30).list_customers)
    patient.start()
    while not loopback.seen:  # the patient call has been sent, its deadline armed
        time.sleep(0.01)
    started = time.monotonic()
    with pytest.raises(UpstreamTimeout):
        loopback.client(timeout=0.3).list_customers()
    assert time.monotonic() - started < 1.5
    patient.join(timeout=10)
    assert not patient.is_alive()


def test_a_deadline_that_fails_to_fire_does_not_stop_the_later_ones(caplog):
    from customers.upstream import deadline

    fired = threading.Event()

    class Due:
        stopped = False

        def __init__(self, seconds, fire):
            self.at = time.monotonic() + seconds
            self.fire = fire

    def broken():
        raise RuntimeError("boom")

    deadline._watchman.keep(Due(0.01, broken))
    deadline._watchman.keep(Due(0.05, fired.set))

    assert fired.wait(5)
    assert "cutting an attempt failed" in caplog.text
