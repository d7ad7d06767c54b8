"""Every documented endpoint: the request we send and the typed result we build.

The response bodies are the upstream documentation's own examples, verbatim.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from responses import matchers

from customers.upstream.types import (
    CustomerDetail,
    CustomerSummary,
    Page,
    PageMeta,
    SearchHit,
    Transaction,
    TransactionSummary,
    WriteResult,
)
from tests.doc_examples import (
    DOC_CREATE,
    DOC_DELETE,
    DOC_DETAIL_TEXT,
    DOC_LIST,
    DOC_SEARCH,
    DOC_TRANSACTIONS_TEXT,
    DOC_UPDATE,
)
from tests.fakes import API_KEY, BASE_URL

UTC = dt.UTC


def only_call(upstream):
    assert len(upstream.rsps.calls) == 1
    return upstream.rsps.calls[0].request


def assert_common_headers(request):
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert request.headers["Accept"] == "application/json"


# --- list ---------------------------------------------------------------------


def test_list_defaults_send_only_page_and_per_page(client_on_fake, upstream):
    upstream.on(
        "GET",
        "customers",
        json=DOC_LIST,
        match=[matchers.query_param_matcher({"page": "1", "per_page": "25"})],
    )
    client_on_fake.list_customers()
    request = only_call(upstream)
    assert request.method == "GET"
    assert request.url == f"{BASE_URL}/customers?page=1&per_page=25"
    assert request.body is None
    assert_common_headers(request)


def test_list_passes_filters(client_on_fake, upstream):
    upstream.on(
        "GET",
        "customers",
        json=DOC_LIST,
        match=[
            matchers.query_param_matcher(
                {
                    "search": "ABC Trading",
                    "branch_id": "00",
                    "status": "inactive",
                    "page": "3",
                    "per_page": "50",
                }
            )
        ],
    )
    client_on_fake.list_customers(
        search="ABC Trading", branch_id="00", status="inactive", page=3, per_page=50
    )
    assert len(upstream.rsps.calls) == 1


@pytest.mark.parametrize("blank", [None, ""])
def test_list_omits_blank_filters(client_on_fake, upstream, blank):
    upstream.on(
        "GET",
        "customers",
        json=DOC_LIST,
        match=[matchers.query_param_matcher({"page": "2", "per_page": "10"})],
    )
    client_on_fake.list_customers(search=blank, branch_id=blank, status=blank, page=2, per_page=10)
    request = only_call(upstream)
    for name in ("search", "branch_id", "status"):
        assert name not in request.params


@pytest.mark.parametrize(
    ("per_page", "sent"), [(500, "100"), (101, "100"), (100, "100"), (0, "1"), (-5, "1")]
)
def test_list_per_page_kept_within_1_to_100(client_on_fake, upstream, per_page, sent):
    upstream.on("GET", "customers", json=DOC_LIST)
    client_on_fake.list_customers(per_page=per_page)
    assert only_call(upstream).params["per_page"] == sent


@pytest.mark.parametrize(("page", "sent"), [(0, "1"), (-3, "1"), ("4", "4")])
def test_list_page_at_least_one(client_on_fake, upstream, page, sent):
    upstream.on("GET", "customers", json=DOC_LIST)
    client_on_fake.list_customers(page=page)
    assert only_call(upstream).params["page"] == sent


def test_list_result_from_documented_example(client_on_fake, upstream):
    upstream.on("GET", "customers", json=DOC_LIST)
    page = client_on_fake.list_customers()
    assert isinstance(page, Page)
    assert page.meta == PageMeta(total=150, per_page=25, current_page=1, last_page=6)
    assert len(page) == 2
    first, second = list(page)
    assert first == CustomerSummary(
        id=1,
        customer_no="CUST001",
        name="ABC Trading Ltd",
        tin="P000123456X",
        phone="+254712345678",
        email="info@abctrading.co.ke",
        address="Moi Avenue, Nairobi",
        branch_id="00",
        is_active=True,
        total_transactions=45,
        created_at=dt.datetime(2025, 1, 1, 10, 0, tzinfo=UTC),
    )
    assert first.created_at.utcoffset() == dt.timedelta(0)
    assert second.name == "Jane Wanjiku"
    assert second.tin is None
    assert second.total_transactions == 12
    assert second.created_at == dt.datetime(2025, 1, 5, 10, 0, tzinfo=UTC)


def test_list_empty_page_without_meta(client_on_fake, upstream):
    upstream.on("GET", "customers", json={"status": "success", "data": []})
    page = client_on_fake.list_customers()
    assert page.items == []
    assert page.meta == PageMeta(total=0, per_page=1, current_page=1, last_page=1)


# --- search -------------------------------------------------------------------


def test_search_request(client_on_fake, upstream):
    upstream.on(
        "GET",
        "customers/search",
        json=DOC_SEARCH,
        match=[matchers.query_param_matcher({"q": "ABC", "branch_id": "01", "limit": "20"})],
    )
    client_on_fake.search_customers(q="ABC", branch_id="01", limit=20)
    request = only_call(upstream)
    assert request.method == "GET"
    assert request.url.startswith(f"{BASE_URL}/customers/search?")
    assert_common_headers(request)


@pytest.mark.parametrize("blank", [None, ""])
def test_search_defaults_and_blank_branch_omitted(client_on_fake, upstream, blank):
    upstream.on(
        "GET",
        "customers/search",
        json=DOC_SEARCH,
        match=[matchers.query_param_matcher({"q": "ABC", "limit": "10"})],
    )
    client_on_fake.search_customers(q="ABC", branch_id=blank)
    assert len(upstream.rsps.calls) == 1


@pytest.mark.parametrize(("limit", "sent"), [(51, "50"), (1000, "50"), (50, "50"), (0, "1")])
def test_search_limit_kept_within_1_to_50(client_on_fake, upstream, limit, sent):
    upstream.on("GET", "customers/search", json=DOC_SEARCH)
    client_on_fake.search_customers(q="ABC", limit=limit)
    assert only_call(upstream).params["limit"] == sent


def test_search_query_is_encoded(client_on_fake, upstream):
    upstream.on(
        "GET",
        "customers/search",
        json=DOC_SEARCH,
        match=[matchers.query_param_matcher({"q": "A&B =C/+254", "limit": "10"})],
    )
    client_on_fake.search_customers(q="A&B =C/+254")
    assert len(upstream.rsps.calls) == 1


def test_search_result_from_documented_example(client_on_fake, upstream):
    upstream.on("GET", "customers/search", json=DOC_SEARCH)
    hits = client_on_fake.search_customers(q="ABC")
    assert hits == [
        SearchHit(
            id=1,
            customer_no="CUST001",
            name="ABC Trading Ltd",
            tin="P000123456X",
            phone="+254712345678",
        ),
        SearchHit(
            id=5,
            customer_no="CUST005",
            name="ABC Supplies",
            tin="P000456789Z",
            phone="+254745678901",
        ),
    ]


# --- detail -------------------------------------------------------------------


def test_detail_request(client_on_fake, upstream):
    upstream.on("GET", "customers/1", body=DOC_DETAIL_TEXT, content_type="application/json")
    client_on_fake.get_customer(1)
    request = only_call(upstream)
    assert request.method == "GET"
    assert request.url == f"{BASE_URL}/customers/1"
    assert_common_headers(request)


def test_detail_id_given_as_text_is_normalised(client_on_fake, upstream):
    upstream.on("GET", "customers/42", body=DOC_DETAIL_TEXT, content_type="application/json")
    client_on_fake.get_customer("42")
    assert only_call(upstream).url == f"{BASE_URL}/customers/42"


@pytest.mark.parametrize("bad_id", ["1/../../admin", "1?x=1", "abc"])
def test_detail_id_cannot_inject_a_path(client_on_fake, upstream, bad_id):
    with pytest.raises(ValueError):
        client_on_fake.get_customer(bad_id)
    assert len(upstream.rsps.calls) == 0


def test_detail_result_from_documented_example(client_on_fake, upstream):
    upstream.on("GET", "customers/1", body=DOC_DETAIL_TEXT, content_type="application/json")
    detail = client_on_fake.get_customer(1)
    assert isinstance(detail, CustomerDetail)
    assert detail.id == 1
    assert detail.customer_no == "CUST001"
    assert detail.name == "ABC Trading Ltd"
    assert detail.tin == "P000123456X"
    assert detail.phone == "+254712345678"
    assert detail.email == "info@abctrading.co.ke"
    assert detail.address == "Moi Avenue, Nairobi"
    assert detail.branch_id == "00"
    assert detail.branch_name == "Head Office"
    assert detail.is_active is True
    assert detail.metadata == {}
    assert detail.created_at == dt.datetime(2025, 1, 1, 10, 0, tzinfo=UTC)
    assert detail.updated_at == dt.datetime(2025, 1, 14, 16, 30, tzinfo=UTC)
    assert detail.transaction_summary == TransactionSummary(
        total_transactions=45,
        total_sales_amount=Decimal("1250000.00"),
        this_month_transactions=8,
        last_transaction_at=dt.datetime(2025, 1, 14, 16, 30, tzinfo=UTC),
    )
    summary = detail.transaction_summary
    assert isinstance(summary.total_sales_amount, Decimal)
    assert str(summary.total_sales_amount) == "1250000.00"
    assert detail.recent_transactions == [
        Transaction(
            id="uuid-123",
            type="sales",
            invoice_no="INV-045",
            amount=Decimal("15000.00"),
            tax_amount=None,
            status="success",
            branch_id=None,
            created_at=dt.datetime(2025, 1, 14, 16, 30, tzinfo=UTC),
        )
    ]
    assert str(detail.recent_transactions[0].amount) == "15000.00"


def test_detail_form_values(client_on_fake, upstream):
    upstream.on("GET", "customers/1", body=DOC_DETAIL_TEXT, content_type="application/json")
    assert client_on_fake.get_customer(1).form_values() == {
        "branch_id": "00",
        "customer_no": "CUST001",
        "name": "ABC Trading Ltd",
        "tin": "P000123456X",
        "phone": "+254712345678",
        "email": "info@abctrading.co.ke",
        "address": "Moi Avenue, Nairobi",
        "is_active": True,
    }


def test_detail_money_is_exact_not_float(client_on_fake, upstream):
    body = DOC_DETAIL_TEXT.replace("1250000.00", "0.1").replace("15000.00", "0.30000000000000004")
    upstream.on("GET", "customers/1", body=body, content_type="application/json")
    detail = client_on_fake.get_customer(1)
    assert detail.transaction_summary.total_sales_amount == Decimal("0.1")
    assert detail.recent_transactions[0].amount == Decimal("0.30000000000000004")


def test_detail_without_summary_or_transactions(client_on_fake, upstream):
    data = {"id": 7, "customer_no": "C7", "name": "Walk-in", "branch_id": "00"}
    upstream.on("GET", "customers/7", json={"status": "success", "data": data})
    detail = client_on_fake.get_customer(7)
    assert detail.transaction_summary is None
    assert detail.recent_transactions == []
    assert detail.is_active is True
    assert detail.created_at is None


def test_datetimes_with_offsets_stay_aware(client_on_fake, upstream):
    data = {
        "id": 7,
        "customer_no": "C7",
        "name": "Walk-in",
        "branch_id": "00",
        "created_at": "2025-01-01T13:00:00+03:00",
        "updated_at": "2025-01-02T10:00:00",  # naive: read as UTC
    }
    upstream.on("GET", "customers/7", json={"status": "success", "data": data})
    detail = client_on_fake.get_customer(7)
    assert detail.created_at == dt.datetime(2025, 1, 1, 10, 0, tzinfo=UTC)
    assert detail.created_at.tzinfo is not None
    assert detail.updated_at == dt.datetime(2025, 1, 2, 10, 0, tzinfo=UTC)


# --- transactions -------------------------------------------------------------


def test_transactions_request_with_all_filters(client_on_fake, upstream):
    upstream.on(
        "GET",
        "customers/1/transactions",
        body=DOC_TRANSACTIONS_TEXT,
        content_type="application/json",
        match=[
            matchers.query_param_matcher(
                {
                    "type": "sales",
                    "from_date": "2025-01-01",
                    "to_date": "2025-01-31",
                    "page": "2",
                }
            )
        ],
    )
    client_on_fake.list_transactions(
        1, type="sales", from_date=dt.date(2025, 1, 1), to_date=dt.date(2025, 1, 31), page=2
    )
    request = only_call(upstream)
    assert request.method == "GET"
    assert request.url.startswith(f"{BASE_URL}/customers/1/transactions?")
    assert_common_headers(request)


@pytest.mark.parametrize("blank", [None, ""])
def test_transactions_blank_filters_omitted(client_on_fake, upstream, blank):
    upstream.on(
        "GET",
        "customers/1/transactions",
        body=DOC_TRANSACTIONS_TEXT,
        content_type="application/json",
        match=[matchers.query_param_matcher({"page": "1"})],
    )
    client_on_fake.list_transactions(1, type=blank, from_date=None, to_date=None)
    assert len(upstream.rsps.calls) == 1


def test_transactions_never_send_the_undocumented_per_page(client_on_fake, upstream):
    upstream.on(
        "GET",
        "customers/1/transactions",
        body=DOC_TRANSACTIONS_TEXT,
        content_type="application/json",
    )
    with pytest.raises(TypeError):
        client_on_fake.list_transactions(1, per_page=100)
    client_on_fake.list_transactions(1, page=3)
    assert only_call(upstream).params == {"page": "3"}


def test_transactions_result_from_documented_example(client_on_fake, upstream):
    upstream.on(
        "GET",
        "customers/1/transactions",
        body=DOC_TRANSACTIONS_TEXT,
        content_type="application/json",
    )
    page = client_on_fake.list_transactions(1)
    assert page.meta == PageMeta(total=45, per_page=25, current_page=1, last_page=2)
    assert page.items == [
        Transaction(
            id="uuid-123",
            type="sales",
            invoice_no="INV-045",
            amount=Decimal("15000.00"),
            tax_amount=Decimal("2400.00"),
            status="success",
            branch_id="00",
            created_at=dt.datetime(2025, 1, 14, 16, 30, tzinfo=UTC),
        ),
        Transaction(
            id="uuid-122",
            type="sales",
            invoice_no="INV-040",
            amount=Decimal("8500.00"),
            tax_amount=Decimal("1360.00"),
            status="success",
            branch_id="00",
            created_at=dt.datetime(2025, 1, 10, 11, 0, tzinfo=UTC),
        ),
    ]
    assert all(isinstance(t.amount, Decimal) for t in page)
    assert str(page.items[0].tax_amount) == "2400.00"


# --- create -------------------------------------------------------------------

FULL_VALUES = {
    "branch_id": "00",
    "customer_no": "CUST003",
    "name": "XYZ Enterprises",
    "tin": "P000789012Y",
    "phone": "+254733345678",
    "email": "contact@xyz.co.ke",
    "address": "Industrial Area, Nairobi",
}


def test_create_request_body(client_on_fake, upstream):
    upstream.on("POST", "customers", json=DOC_CREATE, status=201)
    client_on_fake.create_customer(values=FULL_VALUES)
    request = only_call(upstream)
    assert request.method == "POST"
    assert request.url == f"{BASE_URL}/customers"
    assert request.headers["Content-Type"] == "application/json"
    assert_common_headers(request)
    assert json.loads(request.body) == {
        "branch_id": "00",
        "customer_no": "CUST003",
        "custNm": "XYZ Enterprises",
        "tin": "P000789012Y",
        "phone": "+254733345678",
        "email": "contact@xyz.co.ke",
        "address": "Industrial Area, Nairobi",
    }


def test_create_omits_blank_optional_fields(client_on_fake, upstream):
    upstream.on(
        "POST",
        "customers",
        json=DOC_CREATE,
        status=201,
        match=[
            matchers.json_params_matcher(
                {"branch_id": "00", "customer_no": "CUST004", "custNm": "Jane Wanjiku"},
                strict_match=True,
            )
        ],
    )
    client_on_fake.create_customer(
        values={
            "branch_id": "00",
            "customer_no": "CUST004",
            "name": "Jane Wanjiku",
            "tin": "",
            "phone": None,
            "email": "",
            "address": "",
        }
    )
    body = json.loads(only_call(upstream).body)
    assert "name" not in body
    assert set(body) == {"branch_id", "customer_no", "custNm"}


def test_create_result_from_documented_example(client_on_fake, upstream):
    upstream.on("POST", "customers", json=DOC_CREATE, status=201)
    result = client_on_fake.create_customer(values=FULL_VALUES)
    assert isinstance(result, WriteResult)
    assert result.message == "Customer created successfully"
    assert result.request_id == "req_abc123"
    customer = result.customer
    assert isinstance(customer, CustomerDetail)
    assert customer.id == 3
    assert customer.customer_no == "CUST003"
    assert customer.name == "XYZ Enterprises"
    assert customer.tin == "P000789012Y"
    assert customer.is_active is True
    assert customer.transaction_summary is None
    assert customer.recent_transactions == []
    assert customer.created_at == dt.datetime(2025, 1, 17, 10, 0, tzinfo=UTC)


# --- update -------------------------------------------------------------------


def test_update_sends_only_the_given_fields(client_on_fake, upstream):
    upstream.on(
        "PUT",
        "customers/1",
        json=DOC_UPDATE,
        match=[
            matchers.json_params_matcher(
                {"custNm": "ABC Trading Ltd - Updated", "phone": "+254712999999"},
                strict_match=True,
            )
        ],
    )
    client_on_fake.update_customer(
        1, changes={"name": "ABC Trading Ltd - Updated", "phone": "+254712999999"}
    )
    request = only_call(upstream)
    assert request.method == "PUT"
    assert request.url == f"{BASE_URL}/customers/1"
    assert request.headers["Content-Type"] == "application/json"
    assert_common_headers(request)


def test_update_blank_clears_field_with_null(client_on_fake, upstream):
    upstream.on("PUT", "customers/1", json=DOC_UPDATE)
    client_on_fake.update_customer(1, changes={"tin": "", "email": None, "is_active": False})
    assert json.loads(only_call(upstream).body) == {"tin": None, "email": None, "is_active": False}


def test_update_result_from_documented_example(client_on_fake, upstream):
    upstream.on("PUT", "customers/1", json=DOC_UPDATE)
    result = client_on_fake.update_customer(1, changes={"name": "ABC Trading Ltd - Updated"})
    assert result.message == "Customer updated successfully"
    assert result.request_id is None
    assert result.customer.name == "ABC Trading Ltd - Updated"
    assert result.customer.phone == "+254712999999"
    assert result.customer.address == "New Location, Westlands, Nairobi"
    assert result.customer.updated_at == dt.datetime(2025, 1, 17, 15, 0, tzinfo=UTC)
    assert result.customer.created_at is None


# --- delete -------------------------------------------------------------------


def test_delete_request_and_result(client_on_fake, upstream):
    upstream.on("DELETE", "customers/9", json=DOC_DELETE)
    result = client_on_fake.delete_customer(9)
    request = only_call(upstream)
    assert request.method == "DELETE"
    assert request.url == f"{BASE_URL}/customers/9"
    assert not request.body
    assert_common_headers(request)
    assert result == WriteResult(
        customer=None, message="Customer deleted successfully", request_id=None
    )


# --- base URL -----------------------------------------------------------------


def test_trailing_slash_of_base_url_is_ignored(upstream):
    from customers.upstream.client import CustomersClient

    upstream.on("GET", "customers/search", json=DOC_SEARCH)
    CustomersClient(base_url=BASE_URL + "/", api_key=API_KEY, timeout=1).search_customers(q="AB")
    assert upstream.rsps.calls[0].request.url.startswith(f"{BASE_URL}/customers/search?")
