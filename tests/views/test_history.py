"""A customer's transaction history: filters passed upstream, page totals, fragment or page."""

import pytest

pytestmark = pytest.mark.usefixtures("branches")

URL = "/customers/1/transactions/"


def test_full_page_lists_the_transactions(admin_client, upstream, html_of):
    upstream.detail(1)
    upstream.transactions(1, total=2)

    response = admin_client.get(URL)

    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body
    html = html_of(response)
    assert html.find("h1").text == "Transactions of ABC Trading Ltd"
    table = html.find("table", class_="transactions")
    assert html.rows(table) == [
        ["Date", "Invoice", "Type", "Amount", "Tax", "Status", "Branch"],
        [
            "14 Jan 2025, 19:30",
            "INV-045",
            "Sales",
            "KES 15,000.00",
            "KES 2,400.00",
            "Success",
            "00",
        ],
        ["10 Jan 2025, 14:00", "INV-040", "Sales", "KES 8,500.00", "KES 1,360.00", "Success", "00"],
    ]
    assert (
        html.find("div", class_="history-totals-slot")
        .attrs["hx-get"]
        .startswith("/customers/1/transactions/totals/")
    )
    assert "/customers/1/" in html.hrefs()  # back to the customer
    assert "HX-Request" in response["Vary"]


def test_one_call_each_for_customer_and_history(admin_client, upstream):
    upstream.detail(1)
    upstream.transactions(1, total=2)  # one page holds them all: its totals need no more

    admin_client.get(URL)

    assert len(upstream.calls) == 2
    assert len(upstream.calls_to("GET", "customers/1")) == 1
    history = upstream.calls_to("GET", "customers/1/transactions")
    assert len(history) == 1
    assert upstream.params(history[0]) == {"page": "1"}


def test_filters_are_passed_upstream(admin_client, upstream, html_of):
    upstream.detail(1)
    upstream.transactions(1, current_page=2, last_page=3)

    response = admin_client.get(
        f"{URL}?type=purchases&from_date=2025-01-01&to_date=2025-01-31&page=2"
    )

    call = upstream.calls_to("GET", "customers/1/transactions")[0]
    assert upstream.params(call) == {
        "type": "purchases",
        "from_date": "2025-01-01",
        "to_date": "2025-01-31",
        "page": "2",
    }
    data = html_of(response).form_data()
    assert data["type"] == "purchases"
    assert data["from_date"] == "2025-01-01"
    assert data["to_date"] == "2025-01-31"


@pytest.mark.parametrize(
    "query", ["type=refunds", "from_date=2025-13-45", "to_date=yesterday", "page=zero"]
)
def test_invalid_filters_are_not_sent(admin_client, upstream, query):
    upstream.detail(1)
    upstream.transactions(1)

    response = admin_client.get(f"{URL}?{query}")

    assert response.status_code == 200
    params = upstream.params(upstream.calls_to("GET", "customers/1/transactions")[0])
    assert params == {"page": "1"}


def test_invalid_date_range_is_explained_and_nothing_is_listed(admin_client, upstream, html_of):
    upstream.detail(1)
    upstream.transactions(1)

    response = admin_client.get(f"{URL}?type=sales&from_date=2025-02-01&to_date=2025-01-01")

    assert response.status_code == 200
    html = html_of(response)
    assert "The end date must be on or after the start date." in html.text_of("to-date-errors")
    to_date = html.find("input", name="to_date").attrs
    assert to_date["aria-describedby"] == "to-date-errors"
    assert to_date["aria-invalid"] == "true"
    assert "the From date is after the To date" in html.text_of("history")
    # Nothing asked about the history: no rows, no totals, no statement of "this period".
    assert upstream.calls_to("GET", "customers/1/transactions") == []
    assert not html.find_all("table")
    assert not [href for href in html.hrefs() if "/statement/" in href or ".csv" in href]
    # What was typed is still there.
    assert html.form_data()["from_date"] == "2025-02-01"
    assert html.form_data()["to_date"] == "2025-01-01"


def test_pagination_keeps_the_filters(admin_client, upstream, html_of):
    upstream.detail(1)
    upstream.transactions(1, total=45, current_page=2, last_page=3)

    html = html_of(admin_client.get(f"{URL}?type=sales&from_date=2025-01-01&page=2"))

    prev = html.find("a", rel="prev").attrs
    nxt = html.find("a", rel="next").attrs
    assert prev["href"] == f"{URL}?type=sales&from_date=2025-01-01&page=1"
    assert nxt["href"] == f"{URL}?type=sales&from_date=2025-01-01&page=3"
    assert nxt["hx-get"] == nxt["href"]
    assert "45 transactions — page 2 of 3" in " ".join(html.html.split())


def test_htmx_request_gets_the_history_fragment(admin_client, upstream, htmx_headers, html_of):
    upstream.detail(1)
    upstream.transactions(1)

    response = admin_client.get(f"{URL}?type=sales", headers=htmx_headers)

    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert "INV-045" in body
    assert "KES 23,500.00" not in body  # the totals come in their own fragment
    html = html_of(response)
    assert html.find("form", class_="history-filters")
    assert response["HX-Push-Url"] == f"{URL}?type=sales"  # the address bar follows
    assert "HX-Request" in response["Vary"]


def test_the_pushed_url_drops_empty_filters_and_page_one(admin_client, upstream):
    upstream.detail(1)
    upstream.transactions(1)

    response = admin_client.get(
        f"{URL}?type=&from_date=2025-01-01&to_date=&page=1", headers={"HX-Request": "true"}
    )

    assert response["HX-Push-Url"] == f"{URL}?from_date=2025-01-01"


DETAIL = "http://testserver/customers/1/?_changelist_filters=search%3Dabc"


def test_a_change_in_the_detail_page_history_pushes_the_detail_url(admin_client, upstream):
    upstream.detail(1)
    upstream.transactions(1, current_page=2, last_page=3)

    response = admin_client.get(
        f"{URL}?type=sales&from_date=2025-03-01&to_date=2025-06-30&page=2",
        headers={"HX-Request": "true", "HX-Current-URL": DETAIL, "HX-Trigger": "history-filters"},
    )

    assert "<html" not in response.content.decode()
    assert response["HX-Push-Url"] == (
        "/customers/1/?_changelist_filters=search%3Dabc"
        "&type=sales&from_date=2025-03-01&to_date=2025-06-30&page=2"
    )


def test_the_detail_page_reads_the_history_from_its_address(admin_client, upstream, html_of):
    upstream.detail(1)
    upstream.transactions(1, current_page=2, last_page=3)

    response = admin_client.get(
        "/customers/1/?type=sales&from_date=2025-03-01&to_date=2025-06-30&page=2&other=x"
    )

    sent = [upstream.params(c) for c in upstream.calls_to("GET", "customers/1/transactions")]
    assert sent == [
        {"type": "sales", "from_date": "2025-03-01", "to_date": "2025-06-30", "page": "2"}
    ]
    html = html_of(response)
    assert "INV-045" in html.by_id("history").text
    assert 'value="sales" selected' in response.content.decode()


def test_a_page_past_the_last_shows_the_last(admin_client, upstream):
    upstream.detail(1)
    upstream.on(
        "GET",
        "customers/1/transactions",
        json=upstream.page_body([], total=45, current_page=99, last_page=2),
    )
    upstream.on(
        "GET",
        "customers/1/transactions",
        json=upstream.page_body([upstream.transaction(0)], total=45, current_page=2, last_page=2),
    )

    response = admin_client.get(f"{URL}?page=99", headers={"HX-Request": "true"})

    pages = [
        upstream.params(c).get("page") for c in upstream.calls_to("GET", "customers/1/transactions")
    ]
    assert pages[:2] == ["99", "2"]
    body = " ".join(response.content.decode().split())
    assert "45 transactions — page 2 of 2" in body
    assert "INV-045" in body
    assert response["HX-Push-Url"] == f"{URL}?page=2"


def test_a_page_past_the_last_on_the_detail_page_shows_the_last(admin_client, upstream):
    upstream.detail(1)
    upstream.on(
        "GET",
        "customers/1/transactions",
        json=upstream.page_body([], total=2, current_page=99, last_page=1),
    )
    upstream.transactions(1, total=2)

    response = admin_client.get("/customers/1/?page=99")

    pages = [
        upstream.params(c).get("page") for c in upstream.calls_to("GET", "customers/1/transactions")
    ]
    assert pages == ["99", "1"]
    assert "INV-045" in response.content.decode()
    # the page's script puts the page shown into the address bar
    assert 'data-shown-url="/customers/1/"' in response.content.decode()


def test_empty_history(admin_client, upstream):
    upstream.detail(1)
    upstream.transactions(1, items=[], total=0)

    body = admin_client.get(URL).content.decode()

    assert "No transactions with this customer yet." in body


def test_empty_history_with_filters(admin_client, upstream):
    upstream.detail(1)
    upstream.transactions(1, items=[], total=0)

    body = admin_client.get(f"{URL}?type=purchases").content.decode()

    assert "No transactions match these filters." in body


def test_unknown_customer_is_a_404(admin_client, upstream, assert_safe):
    upstream.not_found("GET", "customers/999")
    upstream.not_found("GET", "customers/999/transactions")

    response = admin_client.get("/customers/999/transactions/")

    assert response.status_code == 404
    body = assert_safe(response)
    assert "Customer not found" in body
    assert "<html" in body


def test_unknown_customer_for_htmx_is_a_404_notice(admin_client, upstream, htmx_headers):
    upstream.not_found("GET", "customers/999")
    upstream.not_found("GET", "customers/999/transactions")

    response = admin_client.get("/customers/999/transactions/", headers=htmx_headers)

    assert response.status_code == 404
    body = response.content.decode()
    assert "<html" not in body
    assert "Customer not found" in body


def test_totals_of_91_transactions_count_all_91_on_the_documented_pages(admin_client, upstream):
    """The in-process fake pages as the API documents it: 25 a page, `per_page` ignored."""
    upstream.serve({1: {"branch_id": "00"}})
    upstream.histories[1] = [
        upstream.transaction(0, invoice_no=f"INV-{n:03d}", total_amount=10, tax_amount=1)
        for n in range(91)
    ]

    page = admin_client.get(URL)
    totals = admin_client.get(f"{URL}totals/", headers={"HX-Request": "true"})

    assert page.content.decode().count("INV-0") == 25  # the first page, as the API serves it
    body = " ".join(totals.content.decode().split())
    assert "Totals of all 91 transactions" in body
    assert "could not be read in time" not in body
    pages = [upstream.params(c) for c in upstream.calls_to("GET", "customers/1/transactions")]
    assert sorted(p["page"] for p in pages[1:]) == ["1", "2", "3", "4"]
    assert not any("per_page" in p for p in pages)
