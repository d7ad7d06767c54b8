"""Every URL of the app needs a logged-in user; an anonymous visitor never reaches upstream."""

import pytest

URLS = [
    "/",
    "/customers/",
    "/customers/?search=abc&page=2",
    "/customers/search/?q=abc",
    "/customers/new/",
    "/customers/1/",
    "/customers/1/transactions/",
    "/customers/1/edit/",
    "/customers/1/delete/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_anonymous_get_is_sent_to_login(client, upstream, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert upstream.calls == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/customers/search/?q=abc", "/customers/1/"])
def test_anonymous_htmx_request_is_sent_to_login(client, upstream, htmx_headers, url):
    response = client.get(url, headers=htmx_headers)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert upstream.calls == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/customers/new/", "/customers/1/edit/", "/customers/1/delete/", "/customers/validate/name/"],
)
def test_anonymous_post_writes_nothing(client, upstream, url):
    response = client.post(url, {"branch_id": "00", "customer_no": "X", "name": "Y"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert upstream.calls == []


def test_login_page_is_open(client, db):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()
