"""The customer list: one upstream list call per render, its parameters passed through."""

import pytest

pytestmark = pytest.mark.usefixtures("branches")


def test_columns_and_rows_from_the_documented_example(admin_client, upstream, html_of):
    upstream.list(total=150, last_page=6)

    response = admin_client.get("/customers/")

    assert response.status_code == 200
    html = html_of(response)
    assert html.find("table", id="result_list")
    headers = [
        " ".join(th.text.split())
        for th in html.find_all("th", scope="col")
        if "action-checkbox-column" not in th.attrs.get("class", "")
    ]
    assert headers == [
        "Customer number",
        "Name",
        "TIN",
        "Phone",
        "Branch",
        "Active",
        "Transactions",
        "Created",
    ]
    rows = html.find_all("tr")[1:]
    assert len(rows) == 2
    body = response.content.decode()
    for text in [
        "CUST001",
        "ABC Trading Ltd",
        "P000123456X",
        "+254712345678",
        "45",
        "CUST002",
        "Jane Wanjiku",
        "+254722345678",
        "12",
        "Head Office",
        "1 Jan 2025",
        "5 Jan 2025",
    ]:
        assert text in body, text


def test_every_row_links_to_its_detail(admin_client, upstream, html_of):
    upstream.list()

    html = html_of(admin_client.get("/customers/"))

    assert "/customers/1/" in html.hrefs()
    assert "/customers/2/" in html.hrefs()
    name_link = [a for a in html.find_all("a") if a.text == "Jane Wanjiku"]
    assert name_link and name_link[0].attrs["href"] == "/customers/2/"


def test_row_links_carry_the_filters_back_to_the_list(admin_client, upstream, html_of):
    upstream.list()

    html = html_of(admin_client.get("/customers/?search=abc&status=active"))

    links = [h for h in html.hrefs() if h.startswith("/customers/1/")]
    assert links
    assert all(
        h == "/customers/1/?_changelist_filters=search%3Dabc%26status%3Dactive" for h in links
    )


def test_one_upstream_call_with_defaults(admin_client, upstream):
    upstream.list()

    admin_client.get("/customers/")

    call = upstream.only_call("GET", "customers")
    assert upstream.params(call) == {"page": "1", "per_page": "25"}
    assert call.headers["Authorization"] == "Bearer test-key"


def test_parameters_are_passed_through(admin_client, upstream):
    upstream.list(current_page=3, last_page=6, total=150, per_page=50)

    admin_client.get(
        "/customers/?search=ABC+Trading&branch_id=01&status=inactive&page=3&per_page=50"
    )

    call = upstream.only_call("GET", "customers")
    assert upstream.params(call) == {
        "search": "ABC Trading",
        "branch_id": "01",
        "status": "inactive",
        "page": "3",
        "per_page": "50",
    }


@pytest.mark.parametrize(
    ("asked", "sent"),
    [
        ("25", "25"),
        ("50", "50"),
        ("100", "100"),
        ("30", "25"),
        ("1000", "25"),
        ("-5", "25"),
        ("abc", "25"),
        ("", "25"),
    ],
)
def test_per_page_is_one_of_25_50_100(admin_client, upstream, asked, sent):
    upstream.list()

    admin_client.get(f"/customers/?per_page={asked}")

    assert upstream.params(upstream.only_call("GET", "customers"))["per_page"] == sent


@pytest.mark.parametrize(
    ("query", "dropped"),
    [
        ("status=deleted", "status"),
        ("branch_id=a%20b", "branch_id"),
        ("page=abc", None),
        ("page=-3", None),
    ],
)
def test_invalid_parameters_are_dropped(admin_client, upstream, query, dropped):
    upstream.list()

    response = admin_client.get(f"/customers/?{query}")

    assert response.status_code == 200
    params = upstream.params(upstream.only_call("GET", "customers"))
    if dropped:
        assert dropped not in params
    assert params["page"] == "1"


def test_total_count_and_page_position(admin_client, upstream, html_of):
    upstream.list(total=150, last_page=6, current_page=2)

    html = html_of(admin_client.get("/customers/?page=2"))

    assert html.text_of("result-count") == "150 customers — page 2 of 6"


def test_filtered_count_says_match(admin_client, upstream, html_of):
    upstream.list([upstream.row(0)])

    html = html_of(admin_client.get("/customers/?search=ABC"))

    assert html.text_of("result-count") == "1 customer matches your filters"


def test_pagination_links_keep_the_other_parameters(admin_client, upstream, html_of):
    upstream.list(upstream.rows(25), total=150, per_page=25, current_page=2, last_page=6)

    html = html_of(admin_client.get("/customers/?search=abc&status=active&page=2"))

    paginator = html.find("nav", class_="paginator")
    assert paginator
    links = [
        a.attrs["href"]
        for a in html.find_all("a")
        if "page=" in a.attrs.get("href", "") and "_changelist_filters" not in a.attrs["href"]
    ]
    assert "?search=abc&status=active&page=1" in links
    assert "?search=abc&status=active&page=3" in links
    assert "?search=abc&status=active&page=6" in links
    for link in links:
        assert link.startswith("?search=abc&status=active&page="), link
    prev = html.find("a", rel="prev")
    nxt = html.find("a", rel="next")
    assert prev.attrs["href"] == "?search=abc&status=active&page=1"
    assert nxt.attrs["href"] == "?search=abc&status=active&page=3"
    assert prev.attrs["hx-get"] == prev.attrs["href"]
    assert (
        html.find("span", class_="this-page").text == "Page 2 of 6"
    )  # the number, and for screen readers its place


def test_pagination_elides_far_pages(admin_client, upstream, html_of):
    upstream.list(upstream.rows(25), total=500, per_page=25, current_page=10, last_page=20)

    html = html_of(admin_client.get("/customers/?page=10"))

    pages = [
        " ".join(a.text.split())
        for a in html.find_all("a", aria_label=True)
        if a.attrs["aria-label"].startswith("Page ")
    ]
    assert pages == ["1", "8", "9", "11", "12", "20"]
    assert html.find_all("span", class_="ellipsis")


def test_one_page_has_no_paginator(admin_client, upstream, html_of):
    upstream.list()

    html = html_of(admin_client.get("/customers/"))

    assert html.find_all("nav", class_="paginator") == []


def test_empty_state_without_filters(admin_client, upstream):
    upstream.list([])

    body = admin_client.get("/customers/").content.decode()

    assert "No customers yet" in body
    assert "No customer matches" not in body
    assert "/customers/new/" in body


def test_empty_state_with_filters(admin_client, upstream):
    upstream.list([])

    body = admin_client.get("/customers/?search=zzz").content.decode()

    assert "No customer matches" in body
    assert "No customers yet" not in body


def test_a_page_past_the_end_shows_the_last_page(admin_client, upstream, html_of):
    upstream.list([], total=30, current_page=99, last_page=2)
    upstream.list(upstream.rows(5), total=30, current_page=2, last_page=2)

    html = html_of(admin_client.get("/customers/?page=99&status=active"))

    pages = [upstream.params(call)["page"] for call in upstream.calls_to("GET", "customers")]
    assert pages == ["99", "2"]
    assert html.text_of("result-count") == "30 customers match your filters — page 2 of 2"
    assert "page 99" not in html.html
    assert len(html.find_all("tr", id=True)) == 5


def test_full_request_gets_the_whole_page(admin_client, upstream, html_of):
    upstream.list()

    response = admin_client.get("/customers/")

    body = response.content.decode()
    assert body.lstrip().startswith("<!DOCTYPE html>")
    assert "<html" in body
    html = html_of(response)
    assert html.find("form", id="changelist-search")
    assert html.by_id("results")
    assert html.label_for("Search customers").attrs["name"] == "q"
    assert "HX-Request" in response["Vary"]


def test_htmx_request_gets_only_the_results(admin_client, upstream, htmx_headers, html_of):
    upstream.list(total=150, last_page=6)

    response = admin_client.get("/customers/?search=ABC", headers=htmx_headers)

    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert "changelist-search" not in body
    assert "ABC Trading Ltd" in body
    assert html_of(response).text_of("result-count").startswith("150 customers")
    assert "HX-Request" in response["Vary"]
    assert upstream.params(upstream.only_call("GET", "customers"))["search"] == "ABC"


def test_boosted_or_history_restore_request_gets_the_whole_page(admin_client, upstream):
    upstream.list()

    boosted = admin_client.get("/customers/", headers={"HX-Request": "true", "HX-Boosted": "true"})
    restore = admin_client.get(
        "/customers/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert "<html" in boosted.content.decode()
    assert "<html" in restore.content.decode()


def test_filter_form_shows_the_current_filters(admin_client, upstream, html_of):
    upstream.list()

    html = html_of(
        admin_client.get("/customers/?search=ABC&branch_id=01&status=active&per_page=50")
    )

    data = html.form_data("changelist-search")
    assert data["search"] == "ABC"
    assert data["branch_id"] == "01"
    assert data["status"] == "active"
    assert data["per_page"] == "50"
    assert "Clear all filters" in html.html


def test_hostile_names_are_escaped(admin_client, upstream):
    upstream.list([upstream.row(0, name="<script>alert(1)</script>")])

    body = admin_client.get("/customers/").content.decode()

    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_home_redirects_to_the_list(admin_client, upstream):
    response = admin_client.get("/")

    assert response.status_code == 302
    assert response["Location"] == "/customers/"
    assert upstream.calls == []
