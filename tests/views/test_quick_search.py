"""The header's quick search: an htmx fragment (a listbox), or the list for a plain submit."""

import pytest

pytestmark = pytest.mark.usefixtures("branches")


@pytest.mark.parametrize("q", ["", "a", " a ", "\u00e9"])
def test_under_two_characters_gives_nothing_and_asks_nothing(
    admin_client, upstream, htmx_headers, q
):
    response = admin_client.get("/customers/search/", {"q": q}, headers=htmx_headers)

    assert response.status_code == 200
    assert response.content == b""
    assert "HX-Request" in response["Vary"]
    assert upstream.calls == []


def test_htmx_search_returns_a_listbox_of_options(admin_client, upstream, htmx_headers, html_of):
    upstream.search()

    response = admin_client.get("/customers/search/?q=ab", headers=htmx_headers)

    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    html = html_of(response)
    listbox = html.find("ul", role="listbox")
    assert listbox.attrs["id"] == "quick-search-listbox"
    options = html.find_all("li", role="option")
    assert len(options) == 2
    assert [o.attrs["data-href"] for o in options] == ["/customers/1/", "/customers/5/"]
    assert html.find_all("a") == []  # an option holds no interactive content (axe)
    assert "HX-Request" in response["Vary"]


def test_upstream_is_asked_with_q_and_limit_10(admin_client, upstream, htmx_headers):
    upstream.search()

    admin_client.get("/customers/search/?q=+ABC+", headers=htmx_headers)

    call = upstream.only_call("GET", "customers/search")
    assert upstream.params(call) == {"q": "ABC", "limit": "10"}


def test_matches_are_highlighted(admin_client, upstream, htmx_headers):
    upstream.search()

    body = admin_client.get("/customers/search/?q=ab", headers=htmx_headers).content.decode()

    assert "<mark>AB</mark>C Trading Ltd" in body
    assert "<mark>AB</mark>C Supplies" in body


def test_at_most_ten_options(admin_client, upstream, htmx_headers, html_of):
    hits = [
        upstream.hit(0, id=n, customer_no=f"CUST{n:03d}", name=f"Abba {n}") for n in range(1, 13)
    ]
    upstream.search(hits)

    html = html_of(admin_client.get("/customers/search/?q=ab", headers=htmx_headers))

    options = html.find_all("li", role="option")
    assert len(options) == 11  # ten customers, then "every match in the list"
    assert options[-1].attrs["data-href"] == "/customers/?search=ab"
    assert "10 shown" in html.html
    assert "found" not in html.html


def test_no_match(admin_client, upstream, htmx_headers):
    upstream.search([])

    response = admin_client.get("/customers/search/?q=zz", headers=htmx_headers)

    assert response.status_code == 200
    body = response.content.decode()
    assert "No customer matches “zz”" in body
    assert 'role="listbox"' not in body


def test_hostile_names_and_queries_are_escaped(admin_client, upstream, htmx_headers):
    upstream.search(
        [
            upstream.hit(
                0,
                name="<script>alert('x')</script> Abc",
                customer_no='"><img src=x onerror=alert(1)>',
            )
        ]
    )

    body = admin_client.get(
        "/customers/search/", {"q": "<script>"}, headers=htmx_headers
    ).content.decode()

    assert "<script>" not in body
    assert "<img" not in body
    assert "&lt;script&gt;" in body


def test_hostile_query_without_hits_is_escaped(admin_client, upstream, htmx_headers):
    upstream.search([])

    body = admin_client.get(
        "/customers/search/", {"q": "<b onmouseover=x>"}, headers=htmx_headers
    ).content.decode()

    assert "<b onmouseover" not in body
    assert "&lt;b onmouseover=x&gt;" in body


@pytest.mark.parametrize(
    ("q", "location"),
    [
        ("ab", "/customers/?search=ab"),
        ("ABC Trading", "/customers/?search=ABC+Trading"),
        ("a&b=c", "/customers/?search=a%26b%3Dc"),
        ("", "/customers/"),
    ],
)
def test_the_header_form_without_javascript_goes_to_the_list(admin_client, upstream, q, location):
    response = admin_client.get("/customers/search/", {"q": q, "go": "list"})

    assert response.status_code == 302
    assert response["Location"] == location
    assert upstream.calls == []


def test_plain_get_with_one_character_asks_nothing(admin_client, upstream):
    response = admin_client.get("/customers/search/?q=a")

    assert response.status_code == 200 and response.content.strip() == b""
    assert upstream.calls == []


def test_plain_get_gives_the_same_fragment(admin_client, upstream):
    upstream.search(
        [{"id": 7, "customer_no": "CUST007", "name": "ABC Supplies", "tin": None, "phone": None}]
    )
    response = admin_client.get("/customers/search/?q=ab")

    body = response.content.decode()
    assert response.status_code == 200 and 'role="listbox"' in body and "<html" not in body
    assert "HX-Request" in response["Vary"]


def test_long_query_is_cut_to_100_characters(admin_client, upstream, htmx_headers):
    upstream.search([])

    admin_client.get("/customers/search/", {"q": "x" * 300}, headers=htmx_headers)

    assert upstream.params(upstream.only_call("GET", "customers/search"))["q"] == "x" * 100
