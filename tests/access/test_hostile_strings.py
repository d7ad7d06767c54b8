"""Hostile upstream text is rendered inert in every template."""

import pytest

HOSTILE = '<script>alert("x")</script>"><img src=x onerror=alert(1)>{{ 7*7 }}'


@pytest.fixture
def hostile_customer(served_upstream):
    served_upstream.customers[1].update(customer_no=HOSTILE[:50], name=HOSTILE)


@pytest.mark.parametrize(
    "url",
    [
        "/customers/",
        "/customers/?search=%3Cscript%3E",
        "/customers/1/",
        "/customers/1/transactions/",
        "/customers/1/edit/",
        "/customers/1/delete/",
    ],
)
def test_pages_escape_upstream_text(client, served_upstream, users, hostile_customer, url):
    client.force_login(users["admin"])
    html = client.get(url).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert" in html or "&lt;script&gt;" in html
    assert "{{ 7*7 }}" in html  # shown as typed, never evaluated


def test_quick_search_escapes_and_highlights_safely(
    client, served_upstream, users, hostile_customer
):
    client.force_login(users["admin"])
    html = client.get("/customers/search/?q=script", headers={"HX-Request": "true"})
    text = html.content.decode()
    assert "<script>" not in text and "&lt;<mark>script</mark>&gt;" in text
