"""Fixtures: the fake upstream of access_fakes, branches 00 and 01, and one user per role."""

import re

import pytest
import responses

from tests.access.access_fakes import (
    BASE,
    _create,
    _detail,
    _list,
    _search,
    _transactions,
)
from tests.role_users import make_user


@pytest.fixture
def upstream(settings):
    settings.CTAX_API_BASE_URL = BASE
    settings.CTAX_API_KEY = "k-test-secret"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_callback(responses.GET, f"{BASE}/customers", callback=_list)
        mock.add_callback(responses.POST, f"{BASE}/customers", callback=_create)
        mock.add_callback(responses.GET, f"{BASE}/customers/search", callback=_search)
        mock.add_callback(
            responses.GET, re.compile(rf"{BASE}/customers/\d+/transactions"), callback=_transactions
        )
        for method in (responses.GET, responses.PUT, responses.DELETE):
            mock.add_callback(method, re.compile(rf"{BASE}/customers/\d+$"), callback=_detail)
        yield mock


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
