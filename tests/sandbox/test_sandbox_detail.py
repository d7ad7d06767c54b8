import datetime
import re

import pytest
from django.utils import timezone

from sandbox.models import SandboxCustomer, SandboxTransaction
from tests.sandbox.sandbox_api_helpers import ISO_Z

DETAIL_KEYS = {
    "id",
    "customer_no",
    "name",
    "tin",
    "phone",
    "email",
    "address",
    "branch_id",
    "branch_name",
    "is_active",
    "metadata",
    "transaction_summary",
    "recent_transactions",
    "created_at",
    "updated_at",
}
UPDATE_KEYS = {
    "id",
    "customer_no",
    "name",
    "tin",
    "phone",
    "email",
    "address",
    "branch_id",
    "is_active",
    "updated_at",
}
NOT_FOUND = {"status": "error", "message": "Customer not found"}


def start_of_month():
    return timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def test_detail_has_the_documented_shape(api, abc, make_tx):
    long_ago = start_of_month() - datetime.timedelta(days=40)
    make_tx(abc, total="15000.00", at=start_of_month())  # this month, even at its first second
    make_tx(abc, total="8500.00", at=long_ago)
    make_tx(abc, total="999.00", status="failed", at=long_ago)
    make_tx(abc, type="purchases", total="4000.00", at=long_ago)

    response = api.get(f"/customers/{abc.id}")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"status", "data"}
    data = body["data"]
    assert set(data) == DETAIL_KEYS
    assert data["branch_name"] == "Head Office"
    assert data["metadata"] == {"segment": "wholesale"}
    assert data["transaction_summary"] == {
        "total_transactions": 4,
        "total_sales_amount": 23500.0,  # successful sales only
        "this_month_transactions": 1,
        "last_transaction_at": data["transaction_summary"]["last_transaction_at"],
    }
    assert re.match(ISO_Z, data["transaction_summary"]["last_transaction_at"])
    assert b'"total_sales_amount":23500.00' in response.content
    recent = data["recent_transactions"][0]
    assert set(recent) == {"id", "type", "invoice_no", "amount", "status", "created_at"}
    assert recent["amount"] == 15000.0
    assert b'"amount":15000.00' in response.content
    assert re.match(ISO_Z, data["created_at"]) and re.match(ISO_Z, data["updated_at"])


def test_recent_transactions_are_the_five_newest(api, abc, make_tx):
    now = timezone.now()
    made = [make_tx(abc, at=now - datetime.timedelta(hours=hours)) for hours in range(8)]
    data = api.get(f"/customers/{abc.id}").json()["data"]
    assert [tx["id"] for tx in data["recent_transactions"]] == [str(t.id) for t in made[:5]]
    assert data["transaction_summary"]["total_transactions"] == 8


def test_detail_without_transactions(api, make_customer):
    customer = make_customer()
    response = api.get(f"/customers/{customer.id}")
    summary = response.json()["data"]["transaction_summary"]
    assert summary == {
        "total_transactions": 0,
        "total_sales_amount": 0,
        "this_month_transactions": 0,
        "last_transaction_at": None,
    }
    assert b'"total_sales_amount":0.00' in response.content
    assert response.json()["data"]["recent_transactions"] == []
    assert response.json()["data"]["metadata"] == {}


@pytest.mark.parametrize("customer_id", ["999999", "abc", "0", "99999999999999999999999", "1.5"])
def test_unknown_customer_is_404(api, sandbox_branches, customer_id):
    response = api.get(f"/customers/{customer_id}")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


# --- update ---------------------------------------------------------------------------


def test_update_changes_only_provided_fields(api, abc):
    before = SandboxCustomer.objects.get(pk=abc.pk)
    response = api.put(
        f"/customers/{abc.id}",
        {"custNm": "ABC Trading Ltd - Updated", "phone": "+254712999999"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "success"
    assert body["message"] == "Customer updated successfully"
    assert set(body["data"]) == UPDATE_KEYS
    assert body["data"]["name"] == "ABC Trading Ltd - Updated"
    assert body["data"]["phone"] == "+254712999999"
    assert body["data"]["email"] == "info@abctrading.co.ke"
    assert re.match(ISO_Z, body["data"]["updated_at"])
    assert re.match(r"^req_[0-9a-f]+$", body["meta"]["request_id"])
    after = SandboxCustomer.objects.get(pk=abc.pk)
    assert after.name == "ABC Trading Ltd - Updated"
    assert (after.tin, after.email, after.address, after.customer_no) == (
        before.tin,
        before.email,
        before.address,
        before.customer_no,
    )
    assert after.metadata == before.metadata
    assert after.updated_at > before.updated_at


@pytest.mark.parametrize(("value", "expected"), [(True, True), (0, False), ("1", True)])
def test_is_active_accepts_booleans(api, abc, value, expected):
    response = api.put(f"/customers/{abc.id}", {"is_active": value})
    assert response.json()["data"]["is_active"] is expected


def test_empty_update_changes_nothing(api, abc):
    before = SandboxCustomer.objects.get(pk=abc.pk)
    response = api.put(f"/customers/{abc.id}", {})
    assert response.status_code == 200
    assert SandboxCustomer.objects.get(pk=abc.pk).updated_at == before.updated_at


def test_null_clears_optional_fields(api, abc):
    data = api.put(f"/customers/{abc.id}", {"tin": None, "email": ""}).json()["data"]
    assert data["tin"] is None and data["email"] is None
    assert SandboxCustomer.objects.get(pk=abc.pk).tin == ""


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"custNm": ""}, "custNm"),
        ({"customer_no": None}, "customer_no"),
        ({"tin": "X123"}, "tin"),
        ({"email": "nope"}, "email"),
        ({"custNm": "n" * 256}, "custNm"),
        ({"is_active": "maybe"}, "is_active"),
        ({"branch_id": "99"}, "branch_id"),
        ({"metadata": "text"}, "metadata"),
    ],
)
def test_update_validation(api, abc, body, field):
    response = api.put(f"/customers/{abc.id}", body)
    assert response.status_code == 400
    assert response.json()["message"] == "Validation failed"
    assert list(response.json()["errors"]) == [field]
    assert SandboxCustomer.objects.get(pk=abc.pk).name == "ABC Trading Ltd"


def test_update_to_a_taken_customer_no_is_a_conflict(api, abc, make_customer):
    other = make_customer(customer_no="CUST002")
    response = api.put(f"/customers/{other.id}", {"customer_no": "CUST001"})
    assert response.status_code == 409
    assert response.json() == {
        "status": "error",
        "message": "Customer with this customer_no already exists in this branch",
    }
    # Moving to a branch where the number is free is fine; keeping one's own number too.
    moved = api.put(f"/customers/{other.id}", {"customer_no": "CUST001", "branch_id": "01"})
    assert moved.status_code == 200
    assert moved.json()["data"]["branch_id"] == "01"
    assert api.put(f"/customers/{abc.id}", {"customer_no": "CUST001"}).status_code == 200


def test_update_unknown_or_deleted_is_404(api, make_customer):
    gone = make_customer(deleted_at=timezone.now())
    for customer_id in (gone.id, 424242):
        response = api.put(f"/customers/{customer_id}", {"custNm": "X"})
        assert response.status_code == 404
        assert response.json() == NOT_FOUND


def test_update_with_a_non_json_body(api, abc):
    response = api.put(f"/customers/{abc.id}", raw="custNm=X")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["body"]


# --- delete -----------------------------------------------------------------------------


def test_soft_delete(api, abc, make_tx):
    make_tx(abc)
    response = api.delete(f"/customers/{abc.id}")
    assert response.status_code == 200
    assert response.json() == {"status": "success", "message": "Customer deleted successfully"}

    assert api.get(f"/customers/{abc.id}").json() == NOT_FOUND
    assert api.get(f"/customers/{abc.id}/transactions").status_code == 404
    assert api.get("/customers").json()["data"] == []
    assert api.get("/customers", {"search": "ABC"}).json()["data"] == []
    assert api.get("/customers/search", {"q": "ABC"}).json()["data"] == []
    assert api.delete(f"/customers/{abc.id}").status_code == 404
    # The record and its history stay for audit.
    assert SandboxCustomer.objects.get(pk=abc.pk).deleted_at is not None
    assert SandboxTransaction.objects.filter(customer_id=abc.pk).count() == 1


def test_delete_unknown_is_404(api, sandbox_branches):
    response = api.delete("/customers/31337")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
