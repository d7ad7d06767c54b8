"""The detail page: profile, summary cards, recent transactions, links; a 404 in our look."""

from collections import Counter

import pytest

pytestmark = pytest.mark.usefixtures("branches")


def _dl(html) -> dict[str, str]:
    """The profile's <dt>/<dd> pairs as text."""
    terms = [" ".join(e.text.split()) for e in html.find_all("dt")]
    values = [" ".join(e.text.split()) for e in html.find_all("dd")]
    return dict(zip(terms, values, strict=True))


def test_profile_fields(admin_client, upstream, html_of):
    upstream.detail(1)
    upstream.transactions(1, items=[], total=0)

    response = admin_client.get("/customers/1/")

    assert response.status_code == 200
    html = html_of(response)
    assert html.find("h1").text == "ABC Trading Ltd"
    profile = _dl(html)
    assert profile["Customer number"] == "CUST001"
    assert profile["Customer name"] == "ABC Trading Ltd"
    assert profile["TIN"] == "P000123456X"
    assert profile["Phone"] == "+254712345678"
    assert profile["Email"] == "info@abctrading.co.ke"
    assert profile["Address"] == "Moi Avenue, Nairobi"
    assert profile["Branch"] == "00 — Head Office"
    assert profile["Status"] == "Active"
    assert "tel:+254712345678" in html.hrefs()
    assert "mailto:info@abctrading.co.ke" in html.hrefs()
    assert len(upstream.calls_to("GET", "customers/1")) == 1
    assert [upstream.params(c) for c in upstream.calls_to("GET", "customers/1/transactions")] == [
        {"page": "1"}
    ]


def test_times_are_shown_in_nairobi_time(admin_client, upstream, html_of):
    upstream.detail(1)

    html = html_of(admin_client.get("/customers/1/"))

    profile = _dl(html)
    assert profile["Created"] == "1 Jan 2025, 13:00"  # 10:00Z
    assert profile["Updated"] == "14 Jan 2025, 19:30"  # 16:30Z
    last = html.find("time")
    assert last.text == "14 Jan 2025, 19:30"
    assert last.attrs["datetime"] == "2025-01-14T19:30:00+03:00"


def test_summary_cards_show_money_in_kes(admin_client, upstream, html_of):
    upstream.detail(1)

    html = html_of(admin_client.get("/customers/1/"))

    labels = [e.text for e in html.find_all("span", class_="card-label")]
    values = [" ".join(e.text.split()) for e in html.find_all("span", class_="card-value")]
    assert dict(zip(labels, values, strict=True)) == {
        "Total transactions": "45",
        "Total sales amount": "KES 1,250,000.00",
        "Transactions this month": "8",
        "Last transaction": "14 Jan 2025, 19:30",
    }


def test_recent_transactions(admin_client, upstream, html_of):
    upstream.detail(1)

    html = html_of(admin_client.get("/customers/1/"))

    table = html.find("section", class_="recent")
    assert html.rows(table) == [
        ["Date", "Invoice", "Type", "Amount", "Status"],
        ["14 Jan 2025, 19:30", "INV-045", "Sales", "KES 15,000.00", "Success"],
    ]


def test_no_summary_and_no_transactions(admin_client, upstream):
    upstream.detail(
        2, transaction_summary=None, recent_transactions=[], tin=None, email=None, branch_name=None
    )

    body = admin_client.get("/customers/2/").content.decode()

    assert "No transactions with this customer yet." in body
    assert "None yet" in body
    assert "KES 0.00" in body


def test_inactive_customer(admin_client, upstream, html_of):
    upstream.detail(1, is_active=False)

    html = html_of(admin_client.get("/customers/1/"))

    assert _dl(html)["Status"] == "Inactive"


def test_edit_and_delete_links(admin_client, upstream, html_of):
    upstream.detail(1)

    html = html_of(admin_client.get("/customers/1/"))

    assert html.find("a", class_="changelink").attrs["href"] == "/customers/1/edit/"
    assert html.find("a", class_="deletelink").attrs["href"] == "/customers/1/delete/"


def test_back_link_keeps_the_list_filters(admin_client, upstream, html_of):
    upstream.detail(1)

    html = html_of(
        admin_client.get(
            "/customers/1/?_changelist_filters=search%3Dabc%26status%3Dactive%26page%3D2"
        )
    )

    back = html.find("p", class_="back-link")
    back_links = [a for a in html.find_all("a") if "Back to the customer list" in a.text]
    assert back and len(back_links) == 1
    assert back_links[0].attrs["href"] == "/customers/?search=abc&status=active&page=2"
    edit = html.find("a", class_="changelink").attrs["href"]
    assert edit == (
        "/customers/1/edit/?_changelist_filters=search%3Dabc%26status%3Dactive%26page%3D2"
    )
    crumbs = [a.attrs["href"] for a in html.find_all("a") if a.text == "Customers"]
    assert "/customers/?search=abc&status=active&page=2" in crumbs


def test_without_filters_the_back_link_is_the_plain_list(admin_client, upstream, html_of):
    upstream.detail(1)

    html = html_of(admin_client.get("/customers/1/"))

    back = [a for a in html.find_all("a") if "Back to the customer list" in a.text]
    assert back[0].attrs["href"] == "/customers/"


def test_ids_are_unique_and_sections_appear_once(admin_client, upstream, html_of):
    upstream.detail(1)

    html = html_of(admin_client.get("/customers/1/"))

    ids = Counter(e.attrs["id"] for e in html.elements if "id" in e.attrs)
    assert [i for i, n in ids.items() if n > 1] == []
    assert len(html.find_all("h1")) == 1
    assert len(html.find_all("section", class_="audit")) == 1  # superusers see the trail
    crumbs = html.find("ol", class_="breadcrumbs")
    assert {e.tag for e in html.elements if e.parent is crumbs} == {"li"}


def test_hostile_values_are_escaped(admin_client, upstream):
    upstream.detail(
        1,
        name="<script>alert(1)</script>",
        address="<img src=x onerror=y>",
        email='a@b.c" onclick="x',
    )

    body = admin_client.get("/customers/1/").content.decode()

    assert "<script>alert(1)</script>" not in body
    assert "<img src=x" not in body
    assert '" onclick="x' not in body


def test_upstream_404_gives_a_not_found_page_in_our_look(
    admin_client, upstream, html_of, assert_safe
):
    upstream.not_found("GET", "customers/999")

    response = admin_client.get("/customers/999/")

    assert response.status_code == 404
    body = assert_safe(response)
    assert "<html" in body
    html = html_of(response)
    assert html.find("h1").text == "Not found"
    assert "Customer not found" in body
    assert "/customers/" in html.hrefs()
    assert html.find("form", id="quick-search")  # the app's own header
    assert len(upstream.calls_to("GET", "customers/999")) == 1


def test_upstream_404_for_htmx_gives_the_notice_only(admin_client, upstream, htmx_headers):
    upstream.not_found("GET", "customers/999")

    response = admin_client.get("/customers/999/", headers=htmx_headers)

    assert response.status_code == 404
    body = response.content.decode()
    assert "<html" not in body
    assert "Customer not found" in body
    assert 'role="alert"' in body


def test_unknown_url_is_a_404_in_our_look(admin_client, upstream):
    response = admin_client.get("/customers/abc/")

    assert response.status_code == 404
    assert "Not found" in response.content.decode()
    assert upstream.calls == []


def test_detail_fragment_for_htmx(admin_client, upstream, htmx_headers):
    """The detail has no fragment of its own: an htmx request still gets a usable page."""
    upstream.detail(1)

    response = admin_client.get("/customers/1/", headers=htmx_headers)

    assert response.status_code == 200
    assert "ABC Trading Ltd" in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_the_history_comes_with_the_page_in_one_round_trip(admin_client, upstream, html_of):
    """The customer and the history page named in the address are asked side by side, and
    the rows are in the page: no second request (htmx) for them; only the totals follow."""
    upstream.detail(1)
    upstream.transactions(1, total=2)

    response = admin_client.get("/customers/1/?type=sales&from_date=2025-01-01")

    html = html_of(response)
    history = html.by_id("history")
    assert "hx-get" not in history.attrs  # nothing left for the browser to fetch but totals
    assert "INV-045" in response.content.decode()
    sent = [upstream.params(c) for c in upstream.calls_to("GET", "customers/1/transactions")]
    assert sent == [{"type": "sales", "from_date": "2025-01-01", "page": "1"}]
    loader = html.find("div", class_="history-totals-slot")
    assert loader.attrs["hx-trigger"] == "load"
    assert loader.attrs["hx-get"].startswith("/customers/1/transactions/totals/?type=sales")


def test_a_history_that_fails_still_shows_the_record(admin_client, upstream, html_of):
    upstream.detail(1)
    upstream.on("GET", "customers/1/transactions", status=503, json={"status": "error"})

    response = admin_client.get("/customers/1/")

    assert response.status_code == 200
    html = html_of(response)
    assert html.find("h1").text == "ABC Trading Ltd"
    assert "The transactions could not be read" in html.find("p", class_="history-error").text
