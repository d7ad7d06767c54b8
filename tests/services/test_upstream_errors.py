"""Every failure of the upstream becomes one of the typed errors, never a raw exception."""

from __future__ import annotations

import datetime as dt
import json
from email.utils import format_datetime

import pytest
import requests
from responses import matchers

from customers.upstream.errors import (
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
from tests.doc_examples import DOC_400, DOC_404, DOC_409

VALUES = {"branch_id": "00", "customer_no": "CUST001", "name": "ABC Trading Ltd"}


# --- 4xx ----------------------------------------------------------------------


@pytest.mark.parametrize("status", [400, 422])
def test_validation_errors_documented_example(client_on_fake, upstream, status):
    upstream.on("POST", "customers", json=DOC_400, status=status)
    with pytest.raises(ValidationFailed) as info:
        client_on_fake.create_customer(values=VALUES)
    error = info.value
    assert error.status == status
    assert error.message == "Validation failed"
    assert error.errors == {
        "customer_no": ["The customer_no has already been taken."],
        "tin": ["The tin format is invalid."],
    }
    assert error.http_status == 400


@pytest.mark.parametrize("status", [400, 422])
def test_validation_error_keys_mapped_to_our_field_names(client_on_fake, upstream, status):
    body = {
        "status": "error",
        "message": "The given data was invalid.",
        "errors": {"custNm": ["The custNm field is required."], "email": "Not an email."},
    }
    upstream.on("PUT", "customers/4", json=body, status=status)
    with pytest.raises(ValidationFailed) as info:
        client_on_fake.update_customer(4, changes={"name": ""})
    assert info.value.errors == {
        "name": ["The custNm field is required."],
        "email": ["Not an email."],
    }
    assert info.value.message == "The given data was invalid."


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html>Bad Request</html>",
        json.dumps({"status": "error"}).encode(),
        json.dumps({"status": "error", "errors": ["a list", "not a dict"]}).encode(),
        json.dumps({"status": "error", "errors": None, "message": ["odd"]}).encode(),
    ],
)
def test_validation_error_with_odd_body(client_on_fake, upstream, body):
    upstream.on("POST", "customers", body=body, status=400)
    with pytest.raises(ValidationFailed) as info:
        client_on_fake.create_customer(values=VALUES)
    assert info.value.errors == {}
    assert info.value.message == ValidationFailed.default_message


def test_validation_error_messages_null_dropped(client_on_fake, upstream):
    body = {"status": "error", "errors": {"tin": [None, "", "Bad TIN."], "phone": None}}
    upstream.on("POST", "customers", json=body, status=400)
    with pytest.raises(ValidationFailed) as info:
        client_on_fake.create_customer(values=VALUES)
    assert info.value.errors == {"tin": ["Bad TIN."], "phone": []}


def test_401_unauthorized(client_on_fake, upstream):
    upstream.on(
        "GET", "customers", json={"status": "error", "message": "Unauthenticated."}, status=401
    )
    with pytest.raises(Unauthorized) as info:
        client_on_fake.list_customers()
    assert type(info.value) is Unauthorized
    assert info.value.status == 401
    assert "CTAX_API_KEY" in info.value.message  # tells the admin which setting
    assert len(upstream.rsps.calls) == 1  # not retried


def test_403_forbidden(client_on_fake, upstream):
    upstream.on("DELETE", "customers/1", json={"status": "error"}, status=403)
    with pytest.raises(Forbidden) as info:
        client_on_fake.delete_customer(1)
    assert info.value.status == 403
    assert isinstance(info.value, Unauthorized)


def test_404_not_found_documented_example(client_on_fake, upstream):
    upstream.on("GET", "customers/999", json=DOC_404, status=404)
    with pytest.raises(NotFound) as info:
        client_on_fake.get_customer(999)
    assert info.value.message == "Customer not found"
    assert info.value.status == 404
    assert info.value.http_status == 404
    assert len(upstream.rsps.calls) == 1


def test_404_without_json_has_default_message(client_on_fake, upstream):
    upstream.on("GET", "customers/999/transactions", body="Not Found", status=404)
    with pytest.raises(NotFound) as info:
        client_on_fake.list_transactions(999)
    assert info.value.message == NotFound.default_message


def test_409_conflict_documented_example(client_on_fake, upstream):
    upstream.on("POST", "customers", json=DOC_409, status=409)
    with pytest.raises(Conflict) as info:
        client_on_fake.create_customer(values=VALUES)
    assert info.value.message == "Customer with this customer_no already exists in this branch"
    assert info.value.status == 409
    assert info.value.http_status == 409


def test_409_blank_message_falls_back_to_default(client_on_fake, upstream):
    upstream.on("POST", "customers", json={"status": "error", "message": "  "}, status=409)
    with pytest.raises(Conflict) as info:
        client_on_fake.create_customer(values=VALUES)
    assert info.value.message == Conflict.default_message


def test_other_4xx_is_bad_response(client_on_fake, upstream):
    upstream.on("GET", "customers/search", json={"status": "error"}, status=418)
    with pytest.raises(BadResponse) as info:
        client_on_fake.search_customers(q="AB")
    assert info.value.status == 418


def test_redirect_is_not_followed(client_on_fake, upstream):
    upstream.on(
        "GET",
        "customers/1",
        status=302,
        headers={"Location": "https://elsewhere.test/steal"},
    )
    with pytest.raises(BadResponse):
        client_on_fake.get_customer(1)
    assert len(upstream.rsps.calls) == 1


def test_error_carries_request_id(client_on_fake, upstream):
    body = dict(DOC_404, meta={"request_id": "req_404"})
    upstream.on("GET", "customers/5", json=body, status=404)
    with pytest.raises(NotFound) as info:
        client_on_fake.get_customer(5)
    assert info.value.request_id == "req_404"


def test_error_request_id_from_header(client_on_fake, upstream):
    upstream.on("GET", "customers/5", json=DOC_404, status=404, headers={"X-Request-Id": "h-1"})
    with pytest.raises(NotFound) as info:
        client_on_fake.get_customer(5)
    assert info.value.request_id == "h-1"


# --- 429 ----------------------------------------------------------------------


def test_429_retry_after_seconds_beyond_budget(client_on_fake, upstream):
    upstream.on(
        "POST", "customers", json={"status": "error"}, status=429, headers={"Retry-After": "30"}
    )
    with pytest.raises(RateLimited) as info:
        client_on_fake.create_customer(values=VALUES)
    assert info.value.retry_after == 30
    assert info.value.status == 429
    assert "30 seconds" in info.value.message


def test_429_retry_after_http_date(client_on_fake, upstream):
    when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=120)
    upstream.on(
        "POST",
        "customers",
        json={"status": "error"},
        status=429,
        headers={"Retry-After": format_datetime(when, usegmt=True)},
    )
    with pytest.raises(RateLimited) as info:
        client_on_fake.create_customer(values=VALUES)
    assert 115 <= info.value.retry_after <= 120
    assert f"{info.value.retry_after} seconds" in info.value.message


def test_429_retry_after_date_in_the_past_is_at_least_one_second(client_on_fake, upstream):
    upstream.on(
        "POST",
        "customers",
        status=429,
        headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"},
    )
    with pytest.raises(RateLimited) as info:
        client_on_fake.create_customer(values=VALUES)
    assert info.value.retry_after == 1


@pytest.mark.parametrize("header", [None, "soon", "inf", "nan", "Wed, 21 Oct 2015 07:28:00"])
def test_429_without_usable_retry_after(client_on_fake, upstream, header):
    headers = {"Retry-After": header} if header else {}
    upstream.on("PUT", "customers/1", status=429, headers=headers)
    with pytest.raises(RateLimited) as info:
        client_on_fake.update_customer(1, changes={"phone": "0712"})
    assert info.value.retry_after in (None, 1)
    assert info.value.message.startswith("The customer service is busy.")


# --- 5xx ----------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 501, 502, 503])
def test_5xx_unavailable(client_on_fake, upstream, status):
    upstream.on("POST", "customers", body="<h1>Server Error</h1>", status=status)
    with pytest.raises(Unavailable) as info:
        client_on_fake.create_customer(values=VALUES)
    assert type(info.value) is Unavailable
    assert info.value.status == status
    assert info.value.http_status == 503


def test_504_upstream_timeout(client_on_fake, upstream):
    upstream.on("DELETE", "customers/1", body="Gateway Timeout", status=504)
    with pytest.raises(UpstreamTimeout) as info:
        client_on_fake.delete_customer(1)
    assert info.value.status == 504
    assert info.value.http_status == 504


@pytest.mark.parametrize("status", [502, 503, 504])
def test_read_5xx_after_retries_still_typed(client_on_fake, upstream, status):
    upstream.on("GET", "customers/1", status=status)
    with pytest.raises(Unavailable) as info:
        client_on_fake.get_customer(1)
    assert info.value.status == status
    assert len(upstream.rsps.calls) == 3  # first try + 2 retries


# --- transport failures -------------------------------------------------------


@pytest.mark.parametrize(
    "exc",
    [
        requests.ConnectionError("Connection refused"),
        requests.exceptions.SSLError("bad handshake"),
        requests.exceptions.ChunkedEncodingError("broken"),
        requests.exceptions.ContentDecodingError("gzip"),
        requests.exceptions.TooManyRedirects("loop"),
    ],
)
def test_transport_errors_are_unavailable(client_on_fake, upstream, exc):
    upstream.on("GET", "customers", body=exc)
    with pytest.raises(Unavailable) as info:
        client_on_fake.list_customers()
    assert type(info.value) is Unavailable
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__


def test_read_timeout_is_upstream_timeout(client_on_fake, upstream):
    upstream.on("GET", "customers/1", body=requests.ReadTimeout("read timed out"))
    with pytest.raises(UpstreamTimeout) as info:
        client_on_fake.get_customer(1)
    assert info.value.message == UpstreamTimeout.default_message


def test_connect_timeout_is_upstream_timeout(client_on_fake, upstream):
    upstream.on("GET", "customers/1", body=requests.ConnectTimeout("connect timed out"))
    with pytest.raises(UpstreamTimeout) as info:
        client_on_fake.get_customer(1)
    assert "reach" in info.value.message


# --- bodies we cannot read ----------------------------------------------------

SUMMARY = {"id": 1, "customer_no": "C1", "name": "A", "branch_id": "00"}
TRANSACTION = {"id": "t1", "type": "sales", "total_amount": 1}


def _envelope(data, **extra):
    return json.dumps({"status": "success", "data": data, **extra}).encode()


LIST_BAD_BODIES = {
    "empty": b"",
    "html": b"<html><body>Maintenance</body></html>",
    "truncated": b'{"status": "success", "data": [{"id": 1, "customer_',
    "not utf-8": b'{"status": "success", "data": ["\xff\xfe"]}',
    "a list": json.dumps([SUMMARY]).encode(),
    "a string": b'"success"',
    "null": b"null",
    "status error on 200": json.dumps({"status": "error", "message": "nope"}).encode(),
    "status missing data": json.dumps({"status": "success"}).encode(),
    "data a string": _envelope("customers"),
    "data an object": _envelope(SUMMARY),
    "item a string": _envelope(["CUST001"]),
    "item missing id": _envelope([{k: v for k, v in SUMMARY.items() if k != "id"}]),
    "item id not a number": _envelope([dict(SUMMARY, id="one")]),
    "item id a bool": _envelope([dict(SUMMARY, id=True)]),
    "item id infinite": b'{"status":"success","data":[{"id":Infinity,"customer_no":"C1",'
    b'"name":"A","branch_id":"00"}]}',
    "item missing name": _envelope([{k: v for k, v in SUMMARY.items() if k != "name"}]),
    "item name an object": _envelope([dict(SUMMARY, name={"first": "A"})]),
    "item is_active odd": _envelope([dict(SUMMARY, is_active="yes")]),
    "item created_at bad": _envelope([dict(SUMMARY, created_at="yesterday")]),
    "item created_at number": _envelope([dict(SUMMARY, created_at=1736935800)]),
    "meta a list": _envelope([SUMMARY], meta=[1, 2]),
    "meta total text": _envelope([SUMMARY], meta={"total": "many"}),
    "deeply nested": b"[" * 100_000 + b"]" * 100_000,
}


@pytest.mark.parametrize("body", LIST_BAD_BODIES.values(), ids=LIST_BAD_BODIES.keys())
def test_list_unreadable_body_is_bad_response(client_on_fake, upstream, body):
    upstream.on("GET", "customers", body=body, content_type="application/json")
    with pytest.raises(BadResponse) as info:
        client_on_fake.list_customers()
    assert info.value.message == BadResponse.default_message
    assert len(upstream.rsps.calls) == 1  # a 200 is never retried


DETAIL_BAD_DATA = {
    "data a string": "customer",
    "data a list": [SUMMARY],
    "data null": None,
    "summary a list": dict(SUMMARY, transaction_summary=[1]),
    "summary amount text": dict(SUMMARY, transaction_summary={"total_sales_amount": "lots"}),
    "summary amount null": dict(SUMMARY, transaction_summary={"total_sales_amount": None}),
    "recent a dict": dict(SUMMARY, recent_transactions={"id": "t1"}),
    "recent item missing id": dict(SUMMARY, recent_transactions=[{"type": "sales", "amount": 1}]),
    "recent item missing amount": dict(SUMMARY, recent_transactions=[{"id": "t", "type": "s"}]),
    "recent amount a bool": dict(
        SUMMARY, recent_transactions=[{"id": "t", "type": "s", "amount": True}]
    ),
    "branch missing": {k: v for k, v in SUMMARY.items() if k != "branch_id"},
}


@pytest.mark.parametrize("data", DETAIL_BAD_DATA.values(), ids=DETAIL_BAD_DATA.keys())
def test_detail_wrong_shape_is_bad_response(client_on_fake, upstream, data):
    upstream.on("GET", "customers/1", body=_envelope(data), content_type="application/json")
    with pytest.raises(BadResponse):
        client_on_fake.get_customer(1)


@pytest.mark.parametrize(
    "data",
    ["x", [TRANSACTION], {"id": "t1"}, [dict(TRANSACTION, total_amount="1,000")], [None]],
    ids=["string", "ok-but-meta-bad", "object", "amount text", "null item"],
)
def test_transactions_wrong_shape_is_bad_response(client_on_fake, upstream, data):
    extra = {"meta": "page 1"} if data == [TRANSACTION] else {}
    upstream.on("GET", "customers/1/transactions", body=_envelope(data, **extra))
    with pytest.raises(BadResponse):
        client_on_fake.list_transactions(1)


@pytest.mark.parametrize(
    "body",
    [
        _envelope("hits"),
        _envelope([{"id": 1}]),
        _envelope([{"customer_no": "C1", "name": "A"}]),
        json.dumps([{"id": 1, "customer_no": "C1", "name": "A"}]).encode(),
        b"not json",
    ],
)
def test_search_wrong_shape_is_bad_response(client_on_fake, upstream, body):
    upstream.on("GET", "customers/search", body=body)
    with pytest.raises(BadResponse):
        client_on_fake.search_customers(q="AB")


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"Created",
        b'{"status": "success", "data": "created"}',
        b'{"status": "success", "data": {"id": 3}}',
        b'{"status": "error", "message": "Could not save"}',
        b'["ok"]',
    ],
)
def test_create_wrong_shape_is_bad_response(client_on_fake, upstream, body):
    upstream.on("POST", "customers", body=body, status=201)
    with pytest.raises(BadResponse):
        client_on_fake.create_customer(values=VALUES)
    assert len(upstream.rsps.calls) == 1


@pytest.mark.parametrize("body", [b"OK", b'{"status": "error"}', b"[]"])
def test_delete_wrong_shape_is_bad_response(client_on_fake, upstream, body):
    upstream.on("DELETE", "customers/1", body=body)
    with pytest.raises(BadResponse):
        client_on_fake.delete_customer(1)


def test_update_wrong_shape_is_bad_response(client_on_fake, upstream):
    upstream.on("PUT", "customers/1", json={"status": "success", "data": ["x"]})
    with pytest.raises(BadResponse):
        client_on_fake.update_customer(1, changes={"phone": "1"})


def test_every_error_is_an_upstream_error():
    for cls in (
        BadResponse,
        Conflict,
        Forbidden,
        NotFound,
        RateLimited,
        Unauthorized,
        Unavailable,
        UpstreamTimeout,
        ValidationFailed,
    ):
        assert issubclass(cls, UpstreamError)
        assert cls().message


def test_status_success_missing_is_accepted(client_on_fake, upstream):
    """Lenient: an envelope without `status` but with data is read."""
    upstream.on(
        "GET",
        "customers/search",
        json={"data": [{"id": 1, "customer_no": "C1", "name": "A"}]},
        match=[matchers.query_param_matcher({"q": "AB", "limit": "10"})],
    )
    assert [hit.id for hit in client_on_fake.search_customers(q="AB")] == [1]


@pytest.mark.parametrize("status", [200, 204])
def test_delete_answered_without_a_body_is_done(client_on_fake, upstream, status):
    upstream.on("DELETE", "customers/1", body=b"", status=status)
    assert client_on_fake.delete_customer(1).message == ""


def test_a_read_answered_204_is_bad_response(client_on_fake, upstream):
    upstream.on("GET", "customers/1", body=b"", status=204)
    with pytest.raises(BadResponse):
        client_on_fake.get_customer(1)
