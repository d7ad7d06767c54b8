""" "Recently viewed" never outlives access (Hardening II #9): no TIN or phone kept,
emptied at logout, no longer than a login, and a customer that answers not-found leaves."""

import datetime as dt

import pytest
import time_machine

from customers import recent
from tests.role_users import make_user

pytestmark = pytest.mark.usefixtures("branches")


@pytest.fixture
def clerk(django_user_model):
    return make_user(django_user_model, "clerk", role="Office staff", branch_codes=("01",))


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


def _options(client, html_of) -> list[str]:
    response = client.get("/customers/recent/")
    if not response.content:
        return []
    return [o.attrs["data-href"] for o in html_of(response).find_all("li", role="option")]


def test_an_entry_keeps_no_tin_or_phone(clerk_client, clerk, upstream, html_of):
    upstream.detail(1, branch_id="01", tin="P000123456X", phone="+254712345678")

    clerk_client.get("/customers/1/")

    (entry,) = recent.viewed_by(clerk)
    assert set(entry) == {"id", "customer_no", "name", "branch_id", "at"}
    page = clerk_client.get("/customers/recent/").content.decode()
    assert "ABC Trading Ltd" in page
    assert "P000123456X" not in page and "712" not in page


def test_the_list_is_emptied_at_logout(clerk_client, clerk, upstream, html_of):
    upstream.detail(1, branch_id="01")
    clerk_client.get("/customers/1/")

    clerk_client.post("/accounts/logout/")
    clerk_client.force_login(clerk)

    assert _options(clerk_client, html_of) == []


def test_an_entry_lasts_no_longer_than_a_login(clerk_client, clerk, upstream, html_of, settings):
    settings.CTAX_SESSION_HOURS = 10
    upstream.detail(1, branch_id="01")
    clerk_client.get("/customers/1/")

    with time_machine.travel(dt.timedelta(hours=9, minutes=59)):
        assert _options(clerk_client, html_of) == ["/customers/1/"]
    with time_machine.travel(dt.timedelta(hours=10, minutes=1)):
        clerk_client.force_login(clerk)  # a new login, the next day
        assert _options(clerk_client, html_of) == []


@pytest.mark.parametrize("now", ["moved to another branch", "deleted"])
def test_an_entry_that_answers_not_found_is_dropped(clerk_client, upstream, html_of, now):
    upstream.detail(1, branch_id="01")
    upstream.detail(2, branch_id="01", name="Jane Wanjiku")
    clerk_client.get("/customers/1/")
    clerk_client.get("/customers/2/")
    if now == "deleted":
        upstream.not_found("GET", "customers/1")
    else:
        upstream.detail(1, branch_id="00")

    opened = clerk_client.get("/customers/1/")

    assert opened.status_code == 404
    assert _options(clerk_client, html_of) == ["/customers/2/"]
