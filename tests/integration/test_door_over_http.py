"""The service door talking to the sandbox over real HTTP (live_server, loopback only)."""

import time
from decimal import Decimal

import pytest
from django.db.models import Sum

from customers.upstream import door, errors
from sandbox import faults
from sandbox.models import SandboxBranch, SandboxCustomer, SandboxTransaction

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data(sandbox_api):
    head = SandboxBranch.objects.create(code="00", name="Head Office")
    SandboxBranch.objects.create(code="01", name="Mombasa Road")
    abc = SandboxCustomer.objects.create(
        branch=head,
        customer_no="CUST001",
        name="ABC Trading Ltd",
        tin="P000123456X",
        phone="+254712345678",
    )
    SandboxCustomer.objects.create(
        branch=head, customer_no="CUST002", name="Jane Wanjiku", phone="+254722345678"
    )
    for i, (kind, amount) in enumerate(
        [("sales", "15000.00"), ("sales", "8500.00"), ("purchases", "1160.00")]
    ):
        SandboxTransaction.objects.create(
            customer=abc,
            branch=head,
            type=kind,
            invoice_no=f"INV-{i}",
            total_amount=Decimal(amount),
            tax_amount=Decimal(amount) * 16 / 116,
        )
    yield abc
    faults.clear_faults()


def test_reads_match_the_sandbox(data):
    page = door.get_client().list_customers(per_page=25)
    assert page.meta.total == 2 and [c.customer_no for c in page] == ["CUST001", "CUST002"]
    assert door.get_client().search_customers(q="wanj")[0].name == "Jane Wanjiku"

    detail = door.get_client().get_customer(data.id)
    sales = SandboxTransaction.objects.filter(customer=data, type="sales")
    assert detail.transaction_summary.total_transactions == 3
    assert (
        detail.transaction_summary.total_sales_amount == sales.aggregate(s=Sum("total_amount"))["s"]
    )
    assert len(detail.recent_transactions) == 3

    history = door.get_client().list_transactions(data.id, type="purchases")
    assert [t.amount for t in history] == [Decimal("1160.00")]


def test_writes_round_trip(data):
    created = (
        door.get_client()
        .create_customer(
            values={
                "branch_id": "01",
                "customer_no": "CUST900",
                "name": "XYZ Enterprises",
                "tin": "P000789012Y",
                "phone": "+254733345678",
                "email": "",
                "address": "",
            }
        )
        .customer
    )
    assert created.name == "XYZ Enterprises" and created.branch_id == "01"

    with pytest.raises(errors.Conflict):
        door.get_client().create_customer(
            values={"branch_id": "01", "customer_no": "CUST900", "name": "Again"}
        )
    with pytest.raises(errors.ValidationFailed) as exc:
        door.get_client().create_customer(
            values={"branch_id": "01", "customer_no": "CUST901", "name": "", "tin": "BAD"}
        )
    assert set(exc.value.errors) >= {"name", "tin"}  # custNm mapped back to name

    door.get_client().update_customer(
        created.id, changes={"phone": "+254700000001", "is_active": False}
    )
    after = door.get_client().get_customer(created.id)
    assert after.phone == "+254700000001" and after.is_active is False
    assert after.tin == "P000789012Y"  # untouched

    door.get_client().delete_customer(created.id)
    with pytest.raises(errors.NotFound):
        door.get_client().get_customer(created.id)


@pytest.mark.parametrize(
    ("knobs", "error"),
    [
        ({"status": 503}, errors.Unavailable),
        ({"status": 500}, errors.Unavailable),
        ({"status": 401}, errors.Unauthorized),
        ({"body": "not_json"}, errors.BadResponse),
        ({"body": "truncated"}, errors.BadResponse),
        ({"body": "wrong_shape"}, errors.BadResponse),
    ],
)
def test_faults_become_typed_errors(data, knobs, error):
    faults.set_faults(**knobs)
    with pytest.raises(error):
        door.get_client().list_customers()


def test_a_hang_is_cut_at_the_timeout(data, settings):
    settings.CTAX_API_TIMEOUT = 0.2
    faults.set_faults(hang_seconds=2)
    started = time.monotonic()
    with pytest.raises(errors.UpstreamTimeout):
        door.get_client().get_customer(data.id)
    assert time.monotonic() - started < 0.2 * 5  # cut at the timeout, long before the hang ends


def test_a_long_retry_after_is_reported_not_waited(data):
    faults.set_faults(status=429, retry_after=30)
    started = time.monotonic()
    with pytest.raises(errors.RateLimited) as exc:
        door.get_client().list_customers()
    assert exc.value.retry_after == 30
    assert time.monotonic() - started < 1


def test_wrong_key_is_unauthorized(data, settings):
    settings.CTAX_API_KEY = "not-the-key"
    with pytest.raises(errors.Unauthorized) as exc:
        door.get_client().list_customers()
    assert "not-the-key" not in str(exc.value)
