"""Fixtures for the sandbox Customers API tests (Django test Client, small data sets)."""

import itertools
import types
import uuid
from decimal import Decimal

import pytest
from django.urls import include, path
from django.utils import timezone

from sandbox.models import SandboxBranch, SandboxCustomer, SandboxTransaction
from tests.sandbox.sandbox_api_helpers import KEY, Api

# Serve only the sandbox, whatever CTAX_SANDBOX_ENABLED and the product URLs say.
# (A module object, since get_resolver() caches by urlconf and needs it hashable.)
_urlconf = types.ModuleType("sandbox_test_urlconf")
_urlconf.urlpatterns = [path("sandbox/api/v1/", include("sandbox.urls"))]


@pytest.fixture(autouse=True)
def _sandbox_settings(settings, monkeypatch):
    settings.ROOT_URLCONF = _urlconf
    settings.CTAX_SANDBOX_API_KEY = KEY
    monkeypatch.delenv("CTAX_SANDBOX_LATENCY_MS", raising=False)


@pytest.fixture
def api(db):
    return Api()


@pytest.fixture
def anonymous_api(db):
    return Api(key=None)


@pytest.fixture
def sandbox_branches(db):
    """The sandbox API's own branches (SandboxBranch), not the office's registry."""
    return {
        code: SandboxBranch.objects.create(code=code, name=name)
        for code, name in [("00", "Head Office"), ("01", "Mombasa Road"), ("02", "Kisumu")]
    }


@pytest.fixture
def make_customer(sandbox_branches):
    numbers = itertools.count(1)

    def make(**fields):
        number = next(numbers)
        values = {
            "branch_id": "00",
            "customer_no": f"CUST{number:03d}",
            "name": f"Customer {number}",
        }
        values.update(fields)
        return SandboxCustomer.objects.create(**values)

    return make


@pytest.fixture
def make_tx(sandbox_branches):
    invoices = itertools.count(1)

    def make(customer, *, type="sales", total="1160.00", status="success", at=None, **fields):
        total = Decimal(total)
        number = next(invoices)
        values = {
            "id": uuid.uuid4(),
            "customer": customer,
            "type": type,
            "invoice_no": f"{'INV' if type == 'sales' else 'PUR'}-{number:03d}",
            "total_amount": total,
            "tax_amount": (total * 16 / 116).quantize(Decimal("0.01")),
            "status": status,
            "branch_id": customer.branch_id,
            "created_at": at or timezone.now(),
        }
        values.update(fields)
        return SandboxTransaction.objects.create(**values)

    return make


@pytest.fixture
def abc(make_customer):
    """The documentation's first example customer."""
    return make_customer(
        customer_no="CUST001",
        name="ABC Trading Ltd",
        tin="P000123456X",
        phone="+254712345678",
        email="info@abctrading.co.ke",
        address="Moi Avenue, Nairobi",
        metadata={"segment": "wholesale"},
    )
