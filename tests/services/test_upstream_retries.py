"""Retries: reads are retried within the time budget, writes never, read timeouts never.

`responses` (>= 0.17) emulates the adapter's urllib3 `Retry` for status codes: it
calls `is_retry()`/`increment()` of the adapter's `max_retries` and replays the next
registered response, without sleeping. It does not emulate retries of connection
errors, nor the sleeps; those run against a real server on 127.0.0.1 below.
"""

from __future__ import annotations

import time

import pytest
import requests

from customers.upstream.client import CustomersClient
from customers.upstream.errors import RateLimited, Unavailable, UpstreamTimeout
from customers.upstream.transport import BudgetRetry
from tests.fakes import API_KEY, BASE_URL

OK_LIST = {"status": "success", "data": [], "meta": {"total": 0}}
OK_WRITE = {
    "status": "success",
    "message": "Customer created successfully",
    "data": {"id": 3, "customer_no": "C3", "name": "XYZ", "branch_id": "00"},
}
VALUES = {"branch_id": "00", "customer_no": "C3", "name": "XYZ"}


def test_responses_emulates_the_adapter_retry(client_on_fake, upstream):
    """The premise of the `responses` tests below: our adapter's Retry is consulted."""
    adapter = client_on_fake.session.get_adapter(BASE_URL)
    assert isinstance(adapter.max_retries, BudgetRetry)
    upstream.on("GET", "customers", status=503)
    upstream.on("GET", "customers", json=OK_LIST)
    client_on_fake.list_customers()
    assert len(upstream.rsps.calls) == 2


# --- reads, with `responses` --------------------------------------------------


@pytest.mark.parametrize("status", [502, 503, 504, 429])
def test_read_retried_then_succeeds(client_on_fake, upstream, status):
    upstream.on("GET", "customers/search", status=status)
    upstream.on("GET", "customers/search", json=OK_LIST)
    assert client_on_fake.search_customers(q="AB") == []
    assert len(upstream.rsps.calls) == 2
    first, second = upstream.rsps.calls
    assert first.request.url == second.request.url
    assert second.request.headers["Authorization"] == f"Bearer {API_KEY}"


def test_read_retried_twice_then_succeeds(client_on_fake, upstream):
    upstream.on("GET", "customers", status=502)
    upstream.on("GET", "customers", status=503)
    upstream.on("GET", "customers", json=OK_LIST)
    assert client_on_fake.list_customers().items == []
    assert len(upstream.rsps.calls) == 3


def test_read_gives_up_after_two_retries(client_on_fake, upstream):
    upstream.on("GET", "customers", status=503)
    upstream.on("GET", "customers", status=502)
    upstream.on("GET", "customers", status=504)
    upstream.on("GET", "customers", json=OK_LIST)
    with pytest.raises(UpstreamTimeout) as info:  # the last answer counts: 504
        client_on_fake.list_customers()
    assert info.value.status == 504
    assert len(upstream.rsps.calls) == 3


@pytest.mark.parametrize("status", [500, 501, 400, 401, 403, 404, 409, 422])
def test_read_not_retried_on_other_statuses(client_on_fake, upstream, status):
    upstream.on("GET", "customers/1", status=status, json={"status": "error"})
    upstream.on("GET", "customers/1", json=OK_WRITE)
    with pytest.raises(Exception):  # noqa: B017 - the type is tested elsewhere
        client_on_fake.get_customer(1)
    assert len(upstream.rsps.calls) == 1


@pytest.mark.parametrize("headers", [{}, {"Retry-After": "0"}], ids=["absent", "zero"])
def test_429_without_wait_is_retried(client_on_fake, upstream, headers):
    upstream.on("GET", "customers", status=429, headers=headers)
    upstream.on("GET", "customers", json=OK_LIST)
    client_on_fake.list_customers()
    assert len(upstream.rsps.calls) == 2


@pytest.mark.parametrize("header", ["soon", "1.5", "inf"])
def test_429_with_malformed_retry_after_is_retried_as_absent(client_on_fake, upstream, header):
    upstream.on("GET", "customers", status=429, headers={"Retry-After": header})
    with pytest.raises(RateLimited):
        client_on_fake.list_customers()
    assert len(upstream.rsps.calls) == 3


def test_429_retry_after_within_budget_is_retried(upstream):
    client = CustomersClient(base_url=BASE_URL, api_key=API_KEY, timeout=4)  # budget 2 s
    upstream.on("GET", "customers", status=429, headers={"Retry-After": "1"})
    upstream.on("GET", "customers", json=OK_LIST)
    client.list_customers()
    assert len(upstream.rsps.calls) == 2


@pytest.mark.parametrize("retry_after", ["1", "5", "3600"])
def test_429_retry_after_beyond_budget_returned_at_once(client_on_fake, upstream, retry_after):
    # timeout=2: retries may only start within the first second.
    upstream.on("GET", "customers", status=429, headers={"Retry-After": retry_after})
    upstream.on("GET", "customers", json=OK_LIST)
    with pytest.raises(RateLimited) as info:
        client_on_fake.list_customers()
    assert info.value.retry_after == int(retry_after)
    assert len(upstream.rsps.calls) == 1


def test_429_http_date_beyond_budget_returned_at_once(client_on_fake, upstream):
    upstream.on(
        "GET",
        "customers",
        status=429,
        headers={"Retry-After": "Fri, 31 Dec 2100 23:59:59 GMT"},
    )
    with pytest.raises(RateLimited) as info:
        client_on_fake.list_customers()
    assert info.value.retry_after > 3600
    assert len(upstream.rsps.calls) == 1


# --- writes, with `responses` -------------------------------------------------


def _write_calls(client):
    return {
        "POST": lambda: client.create_customer(values=VALUES),
        "PUT": lambda: client.update_customer(3, changes={"phone": "0712"}),
        "DELETE": lambda: client.delete_customer(3),
    }


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_write_never_retried_on_status(client_on_fake, upstream, method, status):
    path = "customers" if method == "POST" else "customers/3"
    upstream.on(method, path, status=status, headers={"Retry-After": "0"})
    upstream.on(method, path, json=OK_WRITE)
    with pytest.raises((Unavailable, RateLimited)):
        _write_calls(client_on_fake)[method]()
    assert len(upstream.rsps.calls) == 1


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_write_never_retried_on_connection_error(client_on_fake, upstream, method):
    path = "customers" if method == "POST" else "customers/3"
    upstream.on(method, path, body=requests.ConnectionError("refused"))
    upstream.on(method, path, json=OK_WRITE)
    with pytest.raises(Unavailable):
        _write_calls(client_on_fake)[method]()
    assert len(upstream.rsps.calls) == 1


# --- the real urllib3 retry loop, on a loopback server ------------------------


def test_loopback_read_retried_after_503(loopback, sleeps):
    loopback.queue((503, {"status": "error"}), (200, OK_LIST))
    assert loopback.client().list_customers().items == []
    assert [seen.method for seen in loopback.seen] == ["GET", "GET"]
    assert all(s.headers["Authorization"] == f"Bearer {API_KEY}" for s in loopback.seen)
    assert sleeps == []  # the first retry starts at once


def test_loopback_read_second_retry_backs_off(loopback, sleeps):
    loopback.queue((502, b"bad gateway"), (504, b""), (200, OK_LIST))
    loopback.client().list_customers()
    assert len(loopback.seen) == 3
    assert sleeps == [pytest.approx(0.4)]


def test_loopback_backoff_beyond_budget_not_waited(loopback, sleeps):
    # timeout 0.5: retries must start within 0.25 s; the second would wait 0.4 s.
    loopback.queue((503, b""), (503, b""), (200, OK_LIST))
    with pytest.raises(Unavailable) as info:
        loopback.client(timeout=0.5).list_customers()
    assert sleeps == []
    assert info.value.status == 503
    assert len(loopback.seen) == 2


def test_loopback_429_waits_retry_after(loopback, sleeps):
    loopback.queue((429, {"status": "error"}, {"Retry-After": "1"}), (200, OK_LIST))
    loopback.client(timeout=4).list_customers()
    assert len(loopback.seen) == 2
    assert sleeps == [1]


@pytest.mark.parametrize("header", ["0", "soon"])
def test_loopback_429_without_usable_wait_retried(loopback, sleeps, header):
    loopback.queue((429, {}, {"Retry-After": header}), (200, OK_LIST))
    loopback.client().list_customers()
    assert len(loopback.seen) == 2


def test_loopback_429_beyond_budget_not_slept(loopback, sleeps):
    loopback.queue((429, {"status": "error"}, {"Retry-After": "30"}), (200, OK_LIST))
    with pytest.raises(RateLimited) as info:
        loopback.client(timeout=2).list_customers()
    assert sleeps == []
    assert info.value.retry_after == 30
    assert len(loopback.seen) == 1


def test_loopback_read_timeout_not_retried(loopback, sleeps):
    loopback.queue((200, OK_LIST, {}, 2), (200, OK_LIST))
    started = time.monotonic()
    with pytest.raises(UpstreamTimeout) as info:
        loopback.client(timeout=0.15).list_customers()
    elapsed = time.monotonic() - started
    assert 0.1 < elapsed < 0.15 * 5  # cut at the read timeout, well before the 2 s answer
    assert type(info.value) is UpstreamTimeout
    assert len(loopback.seen) == 1
    assert sleeps == []


def test_loopback_write_read_timeout_not_retried(loopback, sleeps):
    loopback.queue((200, OK_WRITE, {}, 2), (200, OK_WRITE))
    with pytest.raises(UpstreamTimeout):
        loopback.client(timeout=0.15).create_customer(values=VALUES)
    # The server's thread may log the request after the client gave up on a busy machine.
    deadline = time.monotonic() + 5
    while not loopback.seen and time.monotonic() < deadline:
        time.sleep(0.01)
    assert [seen.method for seen in loopback.seen] == ["POST"]


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_loopback_write_not_retried_on_503(loopback, sleeps, method):
    loopback.queue((503, b"", {"Retry-After": "0"}), (200, OK_WRITE))
    with pytest.raises(Unavailable):
        _write_calls(loopback.client())[method]()
    assert [seen.method for seen in loopback.seen] == [method]


def test_loopback_write_body_on_the_wire(loopback):
    loopback.queue((201, OK_WRITE))
    loopback.client().create_customer(values=dict(VALUES, tin=""))
    (seen,) = loopback.seen
    assert seen.path == "/api/v1/customers"
    assert seen.headers["Content-Type"] == "application/json"
    assert seen.body == b'{"branch_id": "00", "customer_no": "C3", "custNm": "XYZ"}'


def test_loopback_refused_read_retried(closed_port_url, connect_attempts, sleeps):
    client = CustomersClient(base_url=closed_port_url, api_key=API_KEY, timeout=2)
    with pytest.raises(Unavailable) as info:
        client.list_customers()
    assert type(info.value) is Unavailable
    assert len(connect_attempts) == 3  # first try + connect=2 retries
    assert sleeps == [pytest.approx(0.4)]


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_loopback_refused_write_not_retried(closed_port_url, connect_attempts, sleeps, method):
    client = CustomersClient(base_url=closed_port_url, api_key=API_KEY, timeout=2)
    with pytest.raises(Unavailable):
        _write_calls(client)[method]()
    assert len(connect_attempts) == 1
    assert sleeps == []


def test_loopback_retry_count_logged(loopback, sleeps, caplog):
    caplog.set_level("INFO", logger="customers.upstream")
    loopback.queue((503, b""), (200, OK_LIST))
    loopback.client().list_customers()
    (record,) = [r for r in caplog.records if r.name == "customers.upstream"]
    assert "retries=1" in record.getMessage()


def test_loopback_retry_after_zero_still_counts_the_backoff(loopback, sleeps):
    # Retry-After: 0 makes urllib3 sleep its backoff (0.4 s before a second retry),
    # which is beyond the 0.25 s budget of a 0.5 s timeout: not retried a second time.
    loopback.queue((429, {}, {"Retry-After": "0"}), (429, {}, {"Retry-After": "0"}), (200, OK_LIST))
    with pytest.raises(RateLimited):
        loopback.client(timeout=0.5).list_customers()
    assert len(loopback.seen) == 2
    assert sleeps == []
