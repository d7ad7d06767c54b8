import re

import pytest
from django.utils import timezone

from tests.sandbox.sandbox_api_helpers import ISO_Z

LIST_KEYS = {
    "id",
    "customer_no",
    "name",
    "tin",
    "phone",
    "email",
    "address",
    "branch_id",
    "is_active",
    "total_transactions",
    "created_at",
}


def test_list_has_the_documented_shape(api, abc, make_customer, make_tx):
    make_customer(customer_no="CUST002", name="Jane Wanjiku", phone="+254722345678")
    for _ in range(3):
        make_tx(abc)

    response = api.get("/customers")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"status", "data", "meta"}
    assert body["status"] == "success"
    assert set(body["meta"]) == {"total", "per_page", "current_page", "last_page", "timestamp"}
    assert re.match(ISO_Z, body["meta"]["timestamp"])
    first, second = body["data"]
    assert set(first) == LIST_KEYS
    assert first == {
        "id": abc.id,
        "customer_no": "CUST001",
        "name": "ABC Trading Ltd",
        "tin": "P000123456X",
        "phone": "+254712345678",
        "email": "info@abctrading.co.ke",
        "address": "Moi Avenue, Nairobi",
        "branch_id": "00",
        "is_active": True,
        "total_transactions": 3,
        "created_at": first["created_at"],
    }
    assert re.match(ISO_Z, first["created_at"])
    # Absent optional fields are null, not "".
    assert second["tin"] is None and second["email"] is None and second["address"] is None
    assert second["total_transactions"] == 0


def test_list_defaults_and_ordering(api, make_customer):
    customers = [make_customer() for _ in range(30)]
    body = api.get("/customers").json()
    assert body["meta"]["total"] == 30
    assert body["meta"]["per_page"] == 25
    assert body["meta"]["current_page"] == 1
    assert body["meta"]["last_page"] == 2
    assert [c["id"] for c in body["data"]] == [c.id for c in customers[:25]]


def test_pagination_meta(api, make_customer):
    for _ in range(23):
        make_customer()
    body = api.get("/customers", {"per_page": 10, "page": 3}).json()
    assert len(body["data"]) == 3
    assert {k: body["meta"][k] for k in ("total", "per_page", "current_page", "last_page")} == {
        "total": 23,
        "per_page": 10,
        "current_page": 3,
        "last_page": 3,
    }


def test_page_beyond_last_is_empty_with_meta(api, make_customer):
    make_customer()
    body = api.get("/customers", {"page": 9}).json()
    assert body["data"] == []
    assert body["meta"]["current_page"] == 9
    assert body["meta"]["last_page"] == 1
    assert body["meta"]["total"] == 1


def test_empty_list_has_last_page_one(api, sandbox_branches):
    body = api.get("/customers").json()
    assert body["data"] == []
    assert body["meta"]["total"] == 0
    assert body["meta"]["last_page"] == 1


def test_per_page_is_capped_at_100(api, make_customer):
    for _ in range(105):
        make_customer()
    body = api.get("/customers", {"per_page": 500}).json()
    assert body["meta"]["per_page"] == 100
    assert len(body["data"]) == 100
    assert body["meta"]["last_page"] == 2


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"per_page": "ten"}, "per_page"),
        ({"per_page": "0"}, "per_page"),
        ({"page": "x"}, "page"),
        ({"page": "-1"}, "page"),
        ({"status": "deleted"}, "status"),
    ],
)
def test_bad_list_parameters_are_validation_errors(api, sandbox_branches, params, field):
    response = api.get("/customers", params)
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "error"
    assert body["message"] == "Validation failed"
    assert list(body["errors"]) == [field]
    assert isinstance(body["errors"][field], list)


def test_empty_parameters_count_as_absent(api, make_customer):
    make_customer()
    body = api.get("/customers", {"status": "", "page": "", "per_page": "", "search": ""}).json()
    assert body["meta"]["total"] == 1


def test_filter_by_branch_and_status(api, make_customer):
    make_customer(branch_id="00")
    kisumu = make_customer(branch_id="02")
    inactive = make_customer(branch_id="02", is_active=False)

    by_branch = api.get("/customers", {"branch_id": "02"}).json()
    assert [c["id"] for c in by_branch["data"]] == [kisumu.id, inactive.id]
    active = api.get("/customers", {"branch_id": "02", "status": "active"}).json()
    assert [c["id"] for c in active["data"]] == [kisumu.id]
    inactive_only = api.get("/customers", {"status": "inactive"}).json()
    assert [c["id"] for c in inactive_only["data"]] == [inactive.id]
    assert api.get("/customers", {"branch_id": "99"}).json()["data"] == []


@pytest.mark.parametrize("term", ["abc trad", "P000123", "712345", "+2547123"])
def test_search_matches_name_tin_and_phone(api, abc, make_customer, term):
    make_customer(name="Other Person", phone="+254799999999")
    body = api.get("/customers", {"search": term}).json()
    assert [c["id"] for c in body["data"]] == [abc.id]
    assert body["meta"]["total"] == 1


@pytest.mark.parametrize("term", ["cust001", "0712345", "0712 345"])
def test_search_matches_only_what_the_api_documents(api, abc, term):
    """Name, TIN or phone as stored: not the customer number, no phone rewritten."""
    body = api.get("/customers", {"search": term}).json()
    assert body["data"] == [] and body["meta"]["total"] == 0


def test_soft_deleted_customers_are_not_listed(api, make_customer):
    kept = make_customer()
    make_customer(deleted_at=timezone.now())
    body = api.get("/customers").json()
    assert [c["id"] for c in body["data"]] == [kept.id]
    assert body["meta"]["total"] == 1


def test_list_counts_transactions_without_n_plus_one(
    api, make_customer, make_tx, django_assert_max_num_queries
):
    for index in range(25):
        customer = make_customer()
        for _ in range(index % 4):
            make_tx(customer)
    # fault knobs + count + one annotated page query
    with django_assert_max_num_queries(3):
        body = api.get("/customers").json()
    assert [c["total_transactions"] for c in body["data"]] == [i % 4 for i in range(25)]
