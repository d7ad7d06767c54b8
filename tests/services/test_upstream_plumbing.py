"""The API key never leaks; one log line per call; the module functions and settings."""

from __future__ import annotations

import datetime as dt
import json
import logging
import traceback

import pytest
import requests
from django.test import override_settings

from customers import selectors, services
from customers.fanout import Budget
from customers.upstream import door
from customers.upstream.client import CustomersClient
from customers.upstream.errors import (
    BadResponse,
    Conflict,
    NotFound,
    Unauthorized,
    Unavailable,
    UpstreamError,
    UpstreamTimeout,
    ValidationFailed,
)
from tests.fakes import API_KEY, BASE_URL

DETAIL = {
    "status": "success",
    "data": {"id": 1, "customer_no": "C1", "name": "ABC", "branch_id": "00"},
}
WRITE = {"status": "success", "message": "Saved", "data": DETAIL["data"]}
LIST = {"status": "success", "data": [DETAIL["data"]], "meta": {"total": 1}}
VALUES = {"branch_id": "00", "customer_no": "C1", "name": "ABC"}


# --- the key never leaks ------------------------------------------------------

FAILURES = {
    "400": dict(status=400, json={"status": "error", "errors": {"custNm": ["Required."]}}),
    "401": dict(status=401, json={"status": "error", "message": f"Bad key {API_KEY}"}),
    "403": dict(status=403, json={"status": "error"}),
    "404": dict(status=404, json={"status": "error", "message": "Customer not found"}),
    "409": dict(status=409, json={"status": "error", "message": "Taken"}),
    "429": dict(status=429, headers={"Retry-After": "99"}),
    "500": dict(status=500, body="boom"),
    "504": dict(status=504, body="slow"),
    "not json": dict(status=200, body="<html>"),
    "wrong shape": dict(status=200, json={"status": "success", "data": "x"}),
    "refused": dict(body=requests.ConnectionError(f"refused; Authorization: Bearer {API_KEY}")),
    "read timeout": dict(body=requests.ReadTimeout("read timed out")),
    "connect timeout": dict(body=requests.ConnectTimeout("connect timed out")),
}


@pytest.mark.parametrize("failure", FAILURES.values(), ids=FAILURES.keys())
def test_key_not_in_errors_nor_logs(client_on_fake, upstream, caplog, failure):
    caplog.set_level(logging.DEBUG)
    upstream.on("POST", "customers", **failure)
    with pytest.raises(UpstreamError) as info:
        client_on_fake.create_customer(values=VALUES)
    error = info.value
    shown = [
        str(error),
        repr(error),
        error.message,
        repr(error.args),
        repr(vars(error)),
        "".join(traceback.format_exception(error)),
    ]
    for text in shown:
        assert API_KEY not in text
    for record in caplog.records:
        assert API_KEY not in record.getMessage()
        assert API_KEY not in repr(record.args)
    assert API_KEY not in caplog.text


def test_transport_error_context_not_chained(client_on_fake, upstream):
    """`from None`: requests' exceptions (holding the prepared request) are not shown."""
    upstream.on("GET", "customers", body=requests.ConnectionError("refused"))
    with pytest.raises(Unavailable) as info:
        client_on_fake.list_customers()
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__ is True
    assert "Bearer" not in "".join(traceback.format_exception(info.value))


def test_key_not_in_client_repr(client_on_fake):
    assert API_KEY not in repr(client_on_fake)
    assert API_KEY not in str(client_on_fake)
    assert repr(client_on_fake) == f"<CustomersClient {BASE_URL}>"


def test_key_not_in_session_headers(client_on_fake):
    """Sent per request only, so a shared session never carries it."""
    assert "Authorization" not in client_on_fake.session.headers


def test_key_not_in_module_client_repr(upstream):
    with override_settings(CTAX_API_BASE_URL=BASE_URL, CTAX_API_KEY="k-module-secret"):
        assert "k-module-secret" not in repr(door.get_client())


def test_key_not_in_success_logs(client_on_fake, upstream, caplog):
    caplog.set_level(logging.DEBUG)
    upstream.on("GET", "customers", json=LIST)
    client_on_fake.list_customers(search="Jane")
    assert caplog.records
    assert API_KEY not in caplog.text


# --- one log line per call ----------------------------------------------------


def _upstream_records(caplog):
    return [r for r in caplog.records if r.name == "customers.upstream"]


def test_one_info_line_per_successful_call(client_on_fake, upstream, caplog):
    caplog.set_level(logging.INFO, logger="customers.upstream")
    upstream.on("GET", "customers", json=LIST)
    client_on_fake.list_customers(search="Jane Wanjiku", branch_id="00")
    (record,) = _upstream_records(caplog)
    message = record.getMessage()
    assert record.levelno == logging.INFO
    assert message.startswith("upstream GET /customers status=200 ms=")
    assert "retries=0" in message
    assert "Jane" not in message  # no query string: personal data
    assert "?" not in message
    ms = int(message.split("ms=")[1].split()[0])
    assert 0 <= ms < 1000


def test_log_line_has_request_id(client_on_fake, upstream, caplog):
    caplog.set_level(logging.INFO, logger="customers.upstream")
    upstream.on(
        "POST",
        "customers",
        json=dict(WRITE, meta={"request_id": "req_abc123"}),
        status=201,
    )
    client_on_fake.create_customer(values=dict(VALUES, email="jane@example.com"))
    (record,) = _upstream_records(caplog)
    message = record.getMessage()
    assert "POST /customers status=201" in message
    assert "request_id=req_abc123" in message
    assert "jane@example.com" not in message  # no body


@pytest.mark.parametrize(
    ("status", "exc"), [(404, NotFound), (409, Conflict), (400, ValidationFailed)]
)
def test_one_line_for_http_errors(client_on_fake, upstream, caplog, status, exc):
    caplog.set_level(logging.INFO, logger="customers.upstream")
    upstream.on("PUT", "customers/7", json={"status": "error"}, status=status)
    with pytest.raises(exc):
        client_on_fake.update_customer(7, changes={"phone": "1"})
    (record,) = _upstream_records(caplog)
    assert f"upstream PUT /customers/7 status={status} ms=" in record.getMessage()


def test_one_line_for_bad_body(client_on_fake, upstream, caplog):
    caplog.set_level(logging.INFO, logger="customers.upstream")
    upstream.on("GET", "customers/1", json={"status": "success", "data": []})
    with pytest.raises(BadResponse):
        client_on_fake.get_customer(1)
    (record,) = _upstream_records(caplog)
    assert "upstream GET /customers/1 status=200 ms=" in record.getMessage()


def test_one_line_after_retries(client_on_fake, upstream, caplog):
    caplog.set_level(logging.INFO, logger="customers.upstream")
    upstream.on("GET", "customers/1", status=503)
    upstream.on("GET", "customers/1", status=503)
    upstream.on("GET", "customers/1", json=DETAIL)
    client_on_fake.get_customer(1)
    (record,) = _upstream_records(caplog)
    assert "upstream GET /customers/1 status=200 ms=" in record.getMessage()


@pytest.mark.parametrize(
    ("exc", "outcome", "error"),
    [
        (requests.ConnectionError("refused"), "failed=ConnectionError", Unavailable),
        (requests.ReadTimeout("slow"), "failed=read-timeout", UpstreamTimeout),
        (requests.ConnectTimeout("slow"), "failed=connect-timeout", UpstreamTimeout),
    ],
)
def test_one_warning_for_transport_failures(client_on_fake, upstream, caplog, exc, outcome, error):
    caplog.set_level(logging.INFO, logger="customers.upstream")
    upstream.on("DELETE", "customers/3", body=exc)
    with pytest.raises(error):
        client_on_fake.delete_customer(3)
    (record,) = _upstream_records(caplog)
    assert record.levelno == logging.WARNING
    message = record.getMessage()
    assert message.startswith(f"upstream DELETE /customers/3 {outcome} ms=")


# --- the module functions and settings ----------------------------------------

OTHER = "https://other.test/api/v1"


@pytest.fixture
def other_settings():
    with override_settings(CTAX_API_BASE_URL=OTHER, CTAX_API_KEY=API_KEY, CTAX_API_TIMEOUT=3):
        yield


def test_module_client_built_from_settings(other_settings):
    client = door.get_client()
    assert client.base_url == OTHER
    assert client.timeout == 3.0
    assert door.get_client() is client


def test_module_client_reset_when_settings_change(other_settings):
    first = door.get_client()
    with override_settings(CTAX_API_BASE_URL="https://third.test/v1", CTAX_API_TIMEOUT="1.5"):
        second = door.get_client()
        assert second is not first
        assert second.base_url == "https://third.test/v1"
        assert second.timeout == 1.5
    assert door.get_client().base_url == OTHER


def test_module_client_not_reset_by_other_settings(other_settings):
    first = door.get_client()
    with override_settings(DEBUG=True):
        assert door.get_client() is first


def test_module_functions_call_the_endpoints(upstream):
    """The app's settings point at the shared fake (the `upstream` fixture)."""
    upstream.on("GET", "customers", json=LIST)
    upstream.on("GET", "customers/search", json={"status": "success", "data": []})
    upstream.on("GET", "customers/1", json=DETAIL)
    upstream.on("GET", "customers/1/transactions", json={"status": "success", "data": []})
    upstream.on("POST", "customers", json=WRITE, status=201)
    upstream.on("PUT", "customers/1", json=WRITE)
    upstream.on("DELETE", "customers/1", json={"status": "success", "message": "Deleted"})

    assert (
        door.get_client().list_customers(search="AB", status="active", per_page=500).meta.total == 1
    )
    assert door.get_client().search_customers(q="AB", branch_id="00", limit=99) == []
    assert door.get_client().get_customer(1).name == "ABC"
    page = door.get_client().list_transactions(
        1, type="purchases", from_date=dt.date(2025, 2, 1), page=2
    )
    assert page.items == []
    assert door.get_client().create_customer(values=VALUES).customer.id == 1
    assert door.get_client().update_customer(1, changes={"name": "New"}).message == "Saved"
    assert door.get_client().delete_customer(1).message == "Deleted"

    requests_sent = [call.request for call in upstream.rsps.calls]
    assert [(r.method, r.path_url.split("?")[0]) for r in requests_sent] == [
        ("GET", "/api/v1/customers"),
        ("GET", "/api/v1/customers/search"),
        ("GET", "/api/v1/customers/1"),
        ("GET", "/api/v1/customers/1/transactions"),
        ("POST", "/api/v1/customers"),
        ("PUT", "/api/v1/customers/1"),
        ("DELETE", "/api/v1/customers/1"),
    ]
    assert all(r.headers["Authorization"] == f"Bearer {API_KEY}" for r in requests_sent)
    assert requests_sent[0].params == {
        "search": "AB",
        "status": "active",
        "page": "1",
        "per_page": "100",
    }
    assert requests_sent[1].params == {"q": "AB", "branch_id": "00", "limit": "50"}
    assert requests_sent[3].params == {"type": "purchases", "from_date": "2025-02-01", "page": "2"}
    assert json.loads(requests_sent[4].body) == {
        "branch_id": "00",
        "customer_no": "C1",
        "custNm": "ABC",
    }
    assert json.loads(requests_sent[5].body) == {"custNm": "New"}


def test_module_functions_use_the_key_from_settings(upstream):
    with override_settings(CTAX_API_BASE_URL=BASE_URL, CTAX_API_KEY="k-one"):
        upstream.on("GET", "customers/1", json=DETAIL)
        door.get_client().get_customer(1)
        with override_settings(CTAX_API_KEY="k-two"):
            door.get_client().get_customer(1)
    keys = [call.request.headers["Authorization"] for call in upstream.rsps.calls]
    assert keys == ["Bearer k-one", "Bearer k-two"]


def test_module_timeout_budget_from_settings(upstream):
    """CTAX_API_TIMEOUT=10 leaves 5 s of retry budget: a Retry-After of 3 is waited."""
    upstream.on("GET", "customers", status=429, headers={"Retry-After": "3"})
    upstream.on("GET", "customers", json=LIST)
    with override_settings(CTAX_API_BASE_URL=BASE_URL, CTAX_API_KEY=API_KEY, CTAX_API_TIMEOUT=10):
        door.get_client().list_customers()
    assert len(upstream.rsps.calls) == 2  # `responses` replays without sleeping


@pytest.mark.parametrize(
    "call",
    [
        lambda: selectors.customer_for(None, 1),
        lambda: selectors.customer_page(None, {}),
        lambda: selectors.search_for(None, "AB"),
        lambda: services.create_customer(None, VALUES),
        lambda: services.update_customer(None, 1, {"name": "x"}),
        lambda: services.delete_customer(None, 1),
        lambda: door.get_client().create_customer(VALUES),
        lambda: door.get_client().search_customers("AB"),
        lambda: door.get_client().list_customers("AB"),
    ],
)
def test_reads_and_writes_take_keyword_arguments_only(call):
    with pytest.raises(TypeError):
        call()


def test_module_errors_are_the_typed_ones(upstream):
    upstream.on("GET", "customers/9", json={"status": "error"}, status=401)
    with pytest.raises(Unauthorized):
        door.get_client().get_customer(9)


def test_client_is_usable_from_many_threads(upstream):
    client = CustomersClient(base_url=BASE_URL, api_key=API_KEY, timeout=2)
    upstream.on("GET", "customers/1", json=DETAIL)
    results = Budget(parallel=8).require(*[lambda: client.get_customer(1) for _ in range(16)])
    assert [r.id for r in results] == [1] * 16
    assert len(upstream.rsps.calls) == 16
