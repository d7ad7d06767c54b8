"""Fixtures: the shared fake upstream serving one customer in each of branches 00 and 01,
and one user per role."""

import pytest
import responses

from customers.upstream import door
from tests.fakes import API_KEY, BASE_URL, FakeUpstream
from tests.role_users import make_user


def customers() -> dict[int, dict]:
    """The upstream's customers, fresh for every test (tests may change them)."""
    plain = {"tin": None, "phone": "+254712345678", "email": None, "address": None}
    return {
        1: {"id": 1, "customer_no": "HQ001", "name": "Head Office Trading Ltd", "branch_id": "00"}
        | plain,
        2: {"id": 2, "customer_no": "MSA001", "name": "Mombasa Secret Supplies", "branch_id": "01"}
        | plain,
    }


@pytest.fixture
def upstream(settings):
    settings.CTAX_API_BASE_URL = BASE_URL
    settings.CTAX_API_KEY = API_KEY
    door.reset_client()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield FakeUpstream(mock).serve(customers())
    door.reset_client()


@pytest.fixture
def users(django_user_model, branches):
    return {
        "staff01": make_user(
            django_user_model, "staff01", role="Office staff", branch_codes=["01"]
        ),
        "manager00": make_user(
            django_user_model, "manager00", role="Branch manager", branch_codes=["00"]
        ),
        "norole00": make_user(django_user_model, "norole00", branch_codes=["00"]),
        "admin": make_user(django_user_model, "admin", superuser=True),
    }
