"""A user past their share of upstream calls (CTAX_USER_CALLS_PER_MINUTE): a 429 page, or
the htmx notice the page shows, saying when to try again; and nothing is sent upstream."""

import datetime as dt

import pytest
import time_machine

from customers.models import AuditEntry

pytestmark = pytest.mark.usefixtures("branches")

DETAIL = "/customers/1/"
HISTORY = "/customers/1/transactions/"


@pytest.fixture
def share(settings):
    def set_share(calls: int) -> None:
        settings.CTAX_USER_CALLS_PER_MINUTE = calls

    return set_share


def test_past_the_share_a_429_page_says_when_to_try_again(
    admin_client, upstream, share, html_of, assert_safe
):
    share(4)  # a detail page asks for the customer and its history side by side
    upstream.detail(1)
    upstream.transactions(1, total=10)
    at = dt.datetime(2026, 6, 15, 6, 30, 20, tzinfo=dt.UTC)
    with time_machine.travel(at, tick=False):
        assert admin_client.get(DETAIL).status_code == 200
        assert admin_client.get(DETAIL).status_code == 200
        response = admin_client.get(DETAIL)

    assert len(upstream.calls) == 4  # the third page's calls were never sent
    assert response.status_code == 429
    assert response["Retry-After"] == "40"
    assert "<html" in assert_safe(response)
    html = html_of(response)
    assert html.find("h1").text == "Too many requests"
    notice = html.find("div", class_="upstream-error", role="alert", within=html.find("main"))
    message = " ".join(notice.text.split())
    assert "Too many requests" in message
    assert "try again in 40 seconds" in message
    assert html.find("a", class_="retry-link").attrs["href"] == DETAIL


def test_an_htmx_request_past_the_share_gets_the_notice_for_its_page(
    admin_client, upstream, share, html_of, htmx_headers
):
    share(1)
    upstream.list()
    assert admin_client.get("/customers/?search=abc", headers=htmx_headers).status_code == 200

    response = admin_client.get("/customers/?search=abd", headers=htmx_headers)

    assert len(upstream.calls) == 1
    assert response.status_code == 429
    body = response.content.decode()
    assert "<html" not in body and "<h1" not in body
    notice = html_of(response).find("div", class_="upstream-error", role="alert")
    assert "Too many requests" in notice.text
    assert "try again in" in notice.text


def test_a_fan_out_past_the_share_is_refused_before_its_first_call(
    admin_client, upstream, share, html_of
):
    # The customer and its first history page are asked side by side: 2 calls, 1 left.
    share(1)
    upstream.detail(1)
    upstream.transactions(1, total=10)

    response = admin_client.get(DETAIL)

    assert response.status_code == 429
    assert upstream.calls == []
    assert "Too many requests" in html_of(response).find("h1").text


def test_fan_out_calls_on_worker_threads_are_charged(admin_client, upstream, share):
    share(2)
    upstream.detail(1)
    upstream.transactions(1, total=10)

    assert admin_client.get(DETAIL).status_code == 200  # the customer and its history
    assert len(upstream.calls) == 2
    assert admin_client.get(DETAIL).status_code == 429
    assert len(upstream.calls) == 2


def test_each_user_has_a_share_of_their_own(client, admin_client, superuser, upstream, share):
    share(2)
    upstream.detail(1)
    upstream.transactions(1, total=10)
    assert admin_client.get(DETAIL).status_code == 200
    assert admin_client.get(DETAIL).status_code == 429

    other = type(superuser).objects.create_superuser("other", "o@example.com", "pw-other-123")
    client.force_login(other)
    assert client.get(DETAIL).status_code == 200
    assert len(upstream.calls) == 4


def test_a_form_past_the_share_keeps_what_was_typed(admin_client, upstream, share, html_of):
    share(1)
    upstream.detail(1)
    assert admin_client.get(f"{DETAIL}edit/").status_code == 200

    response = admin_client.post(f"{DETAIL}edit/", {"name": "Typed Name Ltd"})

    assert len(upstream.calls) == 1
    assert response.status_code == 429
    assert "Typed Name Ltd" in response.content.decode()


def test_a_bulk_action_s_calls_on_worker_threads_are_charged(admin_client, upstream, share):
    share(3)
    for customer_id in (1, 2, 3):
        upstream.detail(customer_id, is_active=True)
    data = {"action": "mark_inactive", "selected": ["1", "2", "3"]}

    assert admin_client.post("/customers/actions/", data).status_code == 200  # 3 reads
    assert len(upstream.calls) == 3
    assert admin_client.get(DETAIL).status_code == 429
    assert len(upstream.calls) == 3


def test_a_bulk_action_past_the_share_sends_nothing_and_leaves_nothing_pending(
    admin_client, upstream, share, html_of
):
    share(4)  # the three reads, then one write of three
    for customer_id in (1, 2, 3):
        upstream.detail(customer_id, is_active=True)
        upstream.update(customer_id)
    confirm = html_of(
        admin_client.post("/customers/actions/", {"action": "mark_inactive", "selected": ["1"]})
    ).form_data()
    share(6)  # one read and no write left for the three customers' run
    confirm["selected"] = ["1", "2", "3"]

    response = admin_client.post("/customers/actions/", confirm)

    assert [call for call in upstream.calls if call.method == "PUT"] == []
    assert not AuditEntry.objects.filter(outcome=AuditEntry.PENDING).exists()
    html = html_of(response)
    rows = html.rows(html.by_id("bulk-outcomes"))[1:]
    assert len(rows) == 3
    assert all("Too many requests" in row[-1] for row in rows)
