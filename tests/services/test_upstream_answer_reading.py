"""An answer is read within the call's one deadline and up to CTAX_API_MAX_BYTES.

A slow-dripping answer (each piece well within the per-read timeout) is given up at the
call's deadline (1.5 x the timeout), and an answer larger than the limit is "could not
read" (502) without being read whole. Real sockets on the loopback server; the clock is
injected where a test needs time to pass.
"""

from __future__ import annotations

import itertools
import json
import time

import pytest

from customers.upstream import door
from customers.upstream.client import CALL_DEADLINE_FACTOR, CustomersClient
from customers.upstream.errors import BadResponse, UpstreamTimeout
from tests.services.conftest import API_KEY, BASE_URL, Reply

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


def test_dripping_answer_is_given_up_at_the_call_deadline(loopback):
    # Each 16-byte piece comes 0.05 s after the last, well within the 0.4 s read
    # timeout: only the call's one deadline (0.6 s) ends it, not the ~6 s drip.
    loopback.queue(Reply(200, listing(30), drip=0.05))
    deadline = 0.4 * CALL_DEADLINE_FACTOR
    started = time.monotonic()
    with pytest.raises(UpstreamTimeout):
        loopback.client(timeout=0.4).list_customers()
    elapsed = time.monotonic() - started
    assert deadline * 0.9 < elapsed < deadline * 5


def test_deadline_counts_from_the_start_of_the_call(mocked):
    """Injected clock: the first 64 kB come in time, then the clock is past the deadline."""
    mocked.get(f"{BASE_URL}/customers", json=listing(2000))  # about 130 kB
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
