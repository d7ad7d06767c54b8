"""The header's quick search: an htmx fragment (a listbox), or the list for a plain submit."""

import pytest
from django.utils.http import urlencode

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


# --- a search that understands people (issue 13 #6) ---------------------------------------


def test_several_words_ask_for_the_longest_and_keep_hits_with_every_word(
    admin_client, upstream, htmx_headers, html_of
):
    upstream.search(
        [
            upstream.hit(0, id=1, name="Jane Wanjiku"),
            upstream.hit(0, id=2, name="Wanjiku Kamau"),
            upstream.hit(0, id=3, name="Achieng Wanjiku Jane"),
        ]
    )

    response = admin_client.get("/customers/search/?q=wanjiku+jane", headers=htmx_headers)

    call = upstream.only_call("GET", "customers/search")
    assert upstream.params(call) == {"q": "wanjiku", "limit": "50"}
    html = html_of(response)
    hrefs = [o.attrs["data-href"] for o in html.find_all("li", role="option")]
    assert hrefs == ["/customers/1/", "/customers/3/"]
    assert "2 customers found." in html.html
    assert "<mark>Jane</mark> <mark>Wanjiku</mark>" in html.html


def test_a_full_wide_answer_says_matches_may_have_been_cut(
    admin_client, upstream, htmx_headers, html_of
):
    upstream.search([upstream.hit(0, id=n, name=f"Jamii Ltd {n}") for n in range(1, 51)])

    html = html_of(admin_client.get("/customers/search/?q=jamii+ltd", headers=htmx_headers))

    options = html.find_all("li", role="option")
    assert len(options) == 11
    assert options[-1].attrs["data-href"] == "/customers/?search=jamii+ltd"
    assert "10 shown" in html.html and "may have been cut" in html.html


def test_an_answer_under_the_limit_is_not_said_to_be_cut(
    admin_client, upstream, htmx_headers, html_of
):
    hits = [upstream.hit(0, id=n, name=f"Jamii {n}") for n in range(1, 50)]
    upstream.search([*hits, upstream.hit(0, id=99, name="Jamii Ltd")])

    html = html_of(admin_client.get("/customers/search/?q=jamii+ltd", headers=htmx_headers))
    assert "may have been cut" in html.html  # 50 asked, 50 back: more may exist

    upstream.search([*hits[:48], upstream.hit(0, id=99, name="Jamii Ltd")])
    html = html_of(admin_client.get("/customers/search/?q=jamii+ltd", headers=htmx_headers))

    assert "1 customer found." in html.html
    assert "cut" not in html.html and "shown" not in html.html


def test_a_cut_answer_says_so_to_a_screen_reader_and_offers_the_list(
    admin_client, upstream, htmx_headers, html_of
):
    hits = [upstream.hit(0, id=n, name=f"Jamii {n}") for n in range(1, 50)]
    upstream.search([*hits, upstream.hit(0, id=99, name="Jamii Ltd")])

    html = html_of(admin_client.get("/customers/search/?q=jamii+ltd", headers=htmx_headers))

    status = html.find("p", role="status").text
    assert "found" not in status and "may have been cut" in status
    options = html.find_all("li", role="option")
    assert [o.attrs["data-href"] for o in options] == [
        "/customers/99/",
        "/customers/?search=jamii+ltd",
    ]


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("+254 720 337 647", "720337647"),
        ("0720-337-647", "720337647"),
        ("0722 345", "722345"),
        ("722 345", "722345"),
        ("+254 722 345", "722345"),
        ("+254 7", "2547"),
    ],
)
def test_a_phone_as_people_write_it_is_searched_as_its_digits(
    admin_client, upstream, htmx_headers, html_of, typed, sent
):
    """The same rule as the list's (customers.phones.search_text), whole or partial."""
    upstream.search([upstream.hit(0, id=n, phone=f"+2547{n:08d}") for n in range(1, 11)])

    html = html_of(admin_client.get("/customers/search/", {"q": typed}, headers=htmx_headers))

    call = upstream.only_call("GET", "customers/search")
    assert upstream.params(call) == {"q": sent, "limit": "10"}
    every = html.by_id("quick-search-option-all")
    assert every.attrs["data-href"] == "/customers/?" + urlencode({"search": typed})
    assert f"Show every match for “{typed}”" in every.text


def test_a_phone_too_short_to_search_asks_nothing(admin_client, upstream, htmx_headers):
    response = admin_client.get("/customers/search/", {"q": "+7"}, headers=htmx_headers)

    assert response.content == b""
    assert upstream.calls == []


def test_a_phone_with_a_name_keeps_hits_holding_those_digits(
    admin_client, upstream, htmx_headers, html_of
):
    upstream.search(
        [
            upstream.hit(0, id=1, name="Jane Wanjiku", phone="+254722345678"),
            upstream.hit(0, id=2, name="Jane Achieng", phone="+254733000000"),
        ]
    )

    html = html_of(admin_client.get("/customers/search/?q=jane+0722", headers=htmx_headers))

    hrefs = [o.attrs["data-href"] for o in html.find_all("li", role="option")]
    assert hrefs == ["/customers/1/"]
    assert "+254<mark>722</mark>345678" in html.html


def test_a_user_of_two_branches_gets_one_call_per_branch(
    client, django_user_model, upstream, htmx_headers
):
    from tests.role_users import make_user

    client.force_login(
        make_user(django_user_model, "two", role="Office staff", branch_codes=("00", "01"))
    )
    upstream.search([upstream.hit(0, name="Jane Wanjiku")])

    client.get("/customers/search/?q=jane+wanjiku", headers=htmx_headers)

    calls = upstream.calls_to("GET", "customers/search")
    assert sorted(upstream.params(c)["branch_id"] for c in calls) == ["00", "01"]
    assert {upstream.params(c)["q"] for c in calls} == {"wanjiku"}


def test_the_hint_says_what_the_upstream_searches(admin_client, upstream, html_of):
    upstream.list()

    html = html_of(admin_client.get("/customers/"))

    box = html.label_for("Search customers")
    assert box.attrs["data-min-chars"] == "2"
    assert box.attrs["data-recent-url"] == "/customers/recent/"
    assert "not the customer number" in html.by_id("quick-search-hint").text


def _two_branch_clerk(client, django_user_model):
    from tests.role_users import make_user

    client.force_login(
        make_user(django_user_model, "two", role="Office staff", branch_codes=("00", "01"))
    )


def _search_in(upstream, branch: str, **answer):
    from responses import matchers

    match = [matchers.query_param_matcher({"branch_id": branch}, strict_match=False)]
    upstream.rsps.add("GET", upstream.url("customers/search"), match=match, **answer)


def test_a_branch_that_fails_leaves_the_others_results_and_is_named(
    client, django_user_model, upstream, htmx_headers
):
    _two_branch_clerk(client, django_user_model)
    hits = [upstream.hit(0, name="Jane Wanjiku")]
    _search_in(upstream, "00", json={"status": "success", "data": hits, "meta": {"count": 1}})
    _search_in(upstream, "01", status=503, json={"status": "error", "message": "Down"})

    response = client.get("/customers/search/?q=jane", headers=htmx_headers)

    assert response.status_code == 200
    body = " ".join(response.content.decode().split())
    assert "Jane Wanjiku" in body
    assert "Branch 01 did not answer in time: its customers are not in these results." in body


def test_when_no_branch_answers_the_search_fails_as_a_whole(
    client, django_user_model, upstream, htmx_headers
):
    _two_branch_clerk(client, django_user_model)
    for branch in ("00", "01"):
        _search_in(upstream, branch, status=503, json={"status": "error", "message": "Down"})

    response = client.get("/customers/search/?q=jane", headers=htmx_headers)

    assert response.status_code == 503
