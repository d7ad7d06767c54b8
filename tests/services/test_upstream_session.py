"""Calls go through `requests.Session.request`: what is set on the session applies."""

from __future__ import annotations

import pytest

from customers.upstream.errors import BadResponse, NotFound
from tests.fakes import API_KEY, BASE_URL

OK_LIST = {"status": "success", "data": [], "meta": {"total": 0}}


def test_a_response_hook_set_on_the_session_sees_every_call(client_on_fake, upstream):
    seen = []
    client_on_fake.session.hooks["response"].append(
        lambda response, **kwargs: seen.append(response.url)
    )
    upstream.on("GET", "customers", json=OK_LIST)

    client_on_fake.list_customers(search="ab")

    assert seen == [f"{BASE_URL}/customers?search=ab&page=1&per_page=25"]


def test_headers_set_on_the_session_are_sent_with_the_key(client_on_fake, upstream):
    client_on_fake.session.headers["X-Branch-Office"] = "ctaxoffice-test"
    upstream.on("GET", "customers/1", json={"status": "error"}, status=404)

    with pytest.raises(NotFound):
        client_on_fake.get_customer(1)

    (call,) = upstream.rsps.calls
    assert call.request.headers["X-Branch-Office"] == "ctaxoffice-test"
    assert call.request.headers["Authorization"] == f"Bearer {API_KEY}"


def test_cookies_of_one_answer_are_never_sent_with_the_next_call(loopback):
    """One session serves every user: an upstream cookie must not travel between calls."""
    loopback.queue((200, OK_LIST, {"Set-Cookie": "laravel_session=abc; Path=/"}), (200, OK_LIST))
    client = loopback.client()

    client.list_customers()
    client.list_customers()

    assert [seen.headers.get("Cookie") for seen in loopback.seen] == [None, None]


def test_redirects_are_not_followed(client_on_fake, upstream):
    upstream.on(
        "GET", "customers", status=302, headers={"Location": "https://elsewhere.test/steal"}
    )

    with pytest.raises(BadResponse):  # a redirect is no documented answer
        client_on_fake.list_customers()

    assert [call.request.url for call in upstream.rsps.calls] == [
        f"{BASE_URL}/customers?page=1&per_page=25"
    ]
