import pytest
from django.utils import timezone


def test_search_has_the_documented_shape(api, abc, make_customer):
    supplies = make_customer(name="ABC Supplies", tin="P000456789Z", phone="+254745678901")
    make_customer(name="Unrelated")

    response = api.get("/customers/search", {"q": "ABC"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "success",
        "data": [
            {
                "id": abc.id,
                "customer_no": "CUST001",
                "name": "ABC Trading Ltd",
                "tin": "P000123456X",
                "phone": "+254712345678",
            },
            {
                "id": supplies.id,
                "customer_no": supplies.customer_no,
                "name": "ABC Supplies",
                "tin": "P000456789Z",
                "phone": "+254745678901",
            },
        ],
        "meta": {"count": 2, "query": "ABC"},
    }


@pytest.mark.parametrize("q", ["abc", "trading", "p000123456x", "712345", "+2547123"])
def test_search_matches_case_insensitively(api, abc, q):
    body = api.get("/customers/search", {"q": q}).json()
    assert [c["id"] for c in body["data"]] == [abc.id]
    assert body["meta"] == {"count": 1, "query": q}


@pytest.mark.parametrize("q", ["cust001", "CUST001", "0712345678", "0712 345"])
def test_search_matches_only_what_the_api_documents(api, abc, q):
    """Name, TIN or phone as stored: not the customer number, no phone rewritten."""
    body = api.get("/customers/search", {"q": q}).json()
    assert body["data"] == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "The q field is required."),
        ({"q": ""}, "The q field is required."),
        ({"q": "a"}, "The q must be at least 2 characters."),
        ({"q": " a "}, "The q must be at least 2 characters."),
    ],
)
def test_query_needs_two_characters(api, sandbox_branches, params, message):
    response = api.get("/customers/search", params)
    assert response.status_code == 400
    assert response.json() == {
        "status": "error",
        "message": "Validation failed",
        "errors": {"q": [message]},
    }


def test_limit_defaults_to_10_and_is_capped_at_50(api, make_customer):
    for _ in range(60):
        make_customer(name="Kamau Hardware")
    assert api.get("/customers/search", {"q": "kamau"}).json()["meta"]["count"] == 10
    assert api.get("/customers/search", {"q": "kamau", "limit": 3}).json()["meta"]["count"] == 3
    capped = api.get("/customers/search", {"q": "kamau", "limit": 500}).json()
    assert capped["meta"]["count"] == 50
    assert len(capped["data"]) == 50


@pytest.mark.parametrize("limit", ["ten", "0"])
def test_bad_limit(api, sandbox_branches, limit):
    response = api.get("/customers/search", {"q": "kamau", "limit": limit})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["limit"]


def test_search_by_branch(api, make_customer):
    make_customer(name="Otieno Supplies", branch_id="00")
    kisumu = make_customer(name="Otieno Hardware", branch_id="02")
    body = api.get("/customers/search", {"q": "otieno", "branch_id": "02"}).json()
    assert [c["id"] for c in body["data"]] == [kisumu.id]


def test_search_skips_deleted_but_keeps_inactive(api, make_customer):
    make_customer(name="Achieng Gone", deleted_at=timezone.now())
    inactive = make_customer(name="Achieng Dormant", is_active=False)
    body = api.get("/customers/search", {"q": "achieng"}).json()
    assert [c["id"] for c in body["data"]] == [inactive.id]


def test_no_matches(api, abc):
    assert api.get("/customers/search", {"q": "zzz"}).json() == {
        "status": "success",
        "data": [],
        "meta": {"count": 0, "query": "zzz"},
    }
