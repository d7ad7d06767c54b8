import datetime
import re

import pytest

from tests.sandbox.sandbox_api_helpers import ISO_Z, NAIROBI

TX_KEYS = {
    "id",
    "type",
    "invoice_no",
    "total_amount",
    "tax_amount",
    "status",
    "branch_id",
    "created_at",
}


def at(day, hour, minute=0):
    """A Nairobi wall-clock moment on 2025-01-<day>."""
    return datetime.datetime(2025, 1, day, hour, minute, tzinfo=NAIROBI)


def ids(response):
    assert response.status_code == 200, response.content
    return [tx["invoice_no"] for tx in response.json()["data"]]


def test_transactions_have_the_documented_shape(api, abc, make_tx):
    make_tx(abc, total="8500.00", at=at(10, 14), invoice_no="INV-040")
    newest = make_tx(abc, total="15000.00", tax_amount="2400.00", at=at(14, 19, 30))

    response = api.get(f"/customers/{abc.id}/transactions")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"status", "data", "meta"}
    assert body["meta"] == {"total": 2, "per_page": 25, "current_page": 1, "last_page": 1}
    first, second = body["data"]
    assert set(first) == TX_KEYS
    assert first == {
        "id": str(newest.id),
        "type": "sales",
        "invoice_no": newest.invoice_no,
        "total_amount": 15000.0,
        "tax_amount": 2400.0,
        "status": "success",
        "branch_id": "00",
        "created_at": "2025-01-14T16:30:00Z",
    }
    assert re.match(ISO_Z, second["created_at"])
    assert second["invoice_no"] == "INV-040"
    # Money is written with two decimals.
    assert b'"total_amount":15000.00,"tax_amount":2400.00' in response.content
    assert b'"total_amount":8500.00,"tax_amount":1172.41' in response.content


def test_newest_first_and_pagination(api, abc, make_tx):
    for day in range(1, 31):
        make_tx(abc, at=at(day, 12), invoice_no=f"INV-{day:03d}")
    page_two = api.get(f"/customers/{abc.id}/transactions", {"page": 2})
    assert ids(page_two) == [f"INV-{day:03d}" for day in range(5, 0, -1)]
    assert page_two.json()["meta"] == {
        "total": 30,
        "per_page": 25,
        "current_page": 2,
        "last_page": 2,
    }
    beyond = api.get(f"/customers/{abc.id}/transactions", {"page": 9})
    assert ids(beyond) == []
    assert beyond.json()["meta"]["current_page"] == 9


def test_per_page_is_not_a_documented_parameter_and_is_ignored(api, abc, make_tx):
    """The documentation lists type, from_date, to_date and page: 25 a page, whatever is asked."""
    for day in range(1, 31):
        make_tx(abc, at=at(day, 12), invoice_no=f"INV-{day:03d}")
    for asked in ("7", "100", "1000", "x"):
        answer = api.get(f"/customers/{abc.id}/transactions", {"per_page": asked})
        assert answer.status_code == 200
        assert len(ids(answer)) == 25
        assert answer.json()["meta"] == {
            "total": 30,
            "per_page": 25,
            "current_page": 1,
            "last_page": 2,
        }


def test_filter_by_type(api, abc, make_tx):
    make_tx(abc, type="sales", invoice_no="INV-1")
    make_tx(abc, type="purchases", invoice_no="PUR-1")
    assert ids(api.get(f"/customers/{abc.id}/transactions", {"type": "sales"})) == ["INV-1"]
    assert ids(api.get(f"/customers/{abc.id}/transactions", {"type": "purchases"})) == ["PUR-1"]
    bad = api.get(f"/customers/{abc.id}/transactions", {"type": "refunds"})
    assert bad.status_code == 400
    assert bad.json()["errors"] == {"type": ["The selected type is invalid."]}


def test_dates_are_inclusive_nairobi_days(api, abc, make_tx):
    make_tx(abc, at=at(9, 23, 59), invoice_no="BEFORE")
    make_tx(abc, at=at(10, 0, 0), invoice_no="FIRST")  # 2025-01-09T21:00:00Z
    make_tx(abc, at=at(12, 23, 59), invoice_no="LAST")  # 2025-01-12T20:59:00Z
    make_tx(abc, at=at(13, 0, 30), invoice_no="AFTER")  # still the 12th in UTC
    url = f"/customers/{abc.id}/transactions"

    assert ids(api.get(url, {"from_date": "2025-01-10", "to_date": "2025-01-12"})) == [
        "LAST",
        "FIRST",
    ]
    assert ids(api.get(url, {"from_date": "2025-01-13"})) == ["AFTER"]
    assert ids(api.get(url, {"to_date": "2025-01-09"})) == ["BEFORE"]
    assert ids(api.get(url, {"from_date": "2025-01-12", "to_date": "2025-01-12"})) == ["LAST"]
    assert api.get(url, {"from_date": "2025-01-10"}).json()["meta"]["total"] == 3


@pytest.mark.parametrize("value", ["2025-13-01", "10/01/2025", "2025-1-5", "yesterday", "20250101"])
@pytest.mark.parametrize("field", ["from_date", "to_date"])
def test_invalid_dates(api, abc, field, value):
    response = api.get(f"/customers/{abc.id}/transactions", {field: value})
    assert response.status_code == 400
    assert response.json() == {
        "status": "error",
        "message": "Validation failed",
        "errors": {field: [f"The {field} does not match the format Y-m-d."]},
    }


def test_to_date_before_from_date(api, abc):
    response = api.get(
        f"/customers/{abc.id}/transactions", {"from_date": "2025-02-01", "to_date": "2025-01-01"}
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["to_date"]


def test_far_off_dates_do_not_break(api, abc, make_tx):
    make_tx(abc)
    url = f"/customers/{abc.id}/transactions"
    assert api.get(url, {"from_date": "0001-01-01", "to_date": "9999-12-31"}).status_code == 200


def test_transactions_of_an_unknown_customer(api, sandbox_branches):
    response = api.get("/customers/777/transactions")
    assert response.status_code == 404
    assert response.json() == {"status": "error", "message": "Customer not found"}


def test_only_this_customers_transactions(api, abc, make_customer, make_tx):
    other = make_customer()
    make_tx(other, invoice_no="OTHER")
    make_tx(abc, invoice_no="MINE")
    assert ids(api.get(f"/customers/{abc.id}/transactions")) == ["MINE"]
