"""The history in the address bar (detail and transactions pages), its totals, the lazy
chart, and axe on these pages in light and dark."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.axe_checks import blocking_violations_in_both_schemes
from tests.browser.htmx_waits import settled

HISTORY_ROWS = "#history table.transactions tbody tr"


def _query(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def _history_requests(page) -> list[str]:
    """The URLs of the history's requests with dates, as they are sent (not those of its
    totals, which load after the rows in a fragment of their own)."""
    sent = []
    page.on(
        "request",
        lambda r: (
            sent.append(r.url)
            if _query(r.url).get("from_date") and "/totals/" not in r.url
            else None
        ),
    )
    return sent


def _filter_to_sales_page_two(page):
    history = page.locator("#history")
    history.get_by_label("Type").select_option("sales")
    page.wait_for_url(re.compile(r"type=sales"))
    settled(page)
    history.get_by_label("From", exact=True).fill("2000-01-01")
    page.wait_for_url(re.compile(r"from_date=2000-01-01"))
    settled(page)
    expect(history.locator(".result-count")).to_contain_text("page 1 of")
    history.get_by_role("link", name="Next ›").click()
    page.wait_for_url(re.compile(r"page=2"))
    expect(history.locator(".this-page")).to_contain_text("Page 2 of")


def _expect_sales_page_two(page):
    history = page.locator("#history")
    expect(history.locator(".this-page")).to_contain_text("Page 2 of")
    expect(history.get_by_label("Type")).to_have_value("sales")
    expect(history.get_by_label("From", exact=True)).to_have_value("2000-01-01")
    types = page.locator(f"{HISTORY_ROWS} td:nth-child(3)")
    expect(types.first).to_have_text("Sales")
    assert set(types.all_text_contents()) == {"Sales"}


def test_detail_history_filters_survive_reload_edit_and_back(ui):
    page = ui.page
    ui.goto("/customers/1/")
    expect(page.locator(HISTORY_ROWS)).to_have_count(25)

    _filter_to_sales_page_two(page)
    assert urlsplit(page.url).path == "/customers/1/"
    assert _query(page.url) == {"type": "sales", "from_date": "2000-01-01", "page": "2"}
    first_invoice = page.locator(f"{HISTORY_ROWS} td.invoice-no").first.text_content()

    page.reload()
    _expect_sales_page_two(page)
    expect(page.locator(f"{HISTORY_ROWS} td.invoice-no").first).to_have_text(first_invoice)

    page.get_by_role("link", name="Edit", exact=True).click()
    page.wait_for_url(re.compile(r"/customers/1/edit/"))
    page.go_back()
    page.wait_for_url(re.compile(r"/customers/1/\?"))
    _expect_sales_page_two(page)

    # A shared link: a new tab with the same address shows the same rows.
    other = page.context.new_page()
    ui.watch(other)
    other.goto(page.url)
    _expect_sales_page_two(other)
    expect(other.locator(f"{HISTORY_ROWS} td.invoice-no").first).to_have_text(first_invoice)
    other.close()


def test_transactions_page_keeps_filters_in_the_address_bar(ui):
    page = ui.page
    ui.goto("/customers/1/transactions/")
    expect(page.locator(HISTORY_ROWS)).to_have_count(25)

    _filter_to_sales_page_two(page)
    assert urlsplit(page.url).path == "/customers/1/transactions/"
    assert _query(page.url) == {"type": "sales", "from_date": "2000-01-01", "page": "2"}
    page.reload()
    _expect_sales_page_two(page)

    page.go_back()  # one step of the history's own navigation
    page.wait_for_url(lambda url: "page=2" not in url)
    expect(page.locator("#history .result-count")).to_contain_text("page 1 of")


def test_a_page_past_the_last_shows_the_last(ui):
    page = ui.page
    ui.goto("/customers/1/?page=99")

    expect(page.locator("#history .this-page")).to_have_text("Page 6 of 6")
    page.wait_for_url(re.compile(r"page=6$"))
    expect(page.locator(HISTORY_ROWS).first).to_be_visible()


def test_from_after_to_is_told_and_nothing_is_listed(ui):
    page = ui.page
    ui.goto("/customers/1/")
    history = page.locator("#history")
    expect(page.locator(HISTORY_ROWS)).to_have_count(25)

    history.get_by_label("From", exact=True).fill("2026-05-01")
    page.wait_for_url(re.compile(r"from_date=2026-05-01"))
    settled(page)
    history.get_by_label("To", exact=True).fill("2026-01-31")

    expect(page.locator("#to-date-errors")).to_have_text(
        "The end date must be on or after the start date."
    )
    expect(history.get_by_label("To", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(history).to_contain_text("the From date is after the To date")
    expect(page.locator(HISTORY_ROWS)).to_have_count(0)
    expect(history.get_by_role("link", name=re.compile("Printable statement"))).to_have_count(0)


def test_totals_of_the_whole_history_per_type(ui):
    page = ui.page
    ui.goto("/customers/1/transactions/")

    totals = page.locator(".history-totals")
    expect(totals.get_by_role("heading")).to_have_text("Totals of all 150 transactions")
    rows = totals.locator("tbody tr th")
    expect(rows).to_have_text(["Sales", "Purchases"])
    expect(totals).to_contain_text("Successful transactions only")
    expect(page.get_by_text("Total of this page")).to_have_count(0)


def test_invoice_numbers_never_break_at_768_px(ui):
    page = ui.page
    page.set_viewport_size({"width": 768, "height": 900})
    ui.goto("/customers/1/transactions/")
    expect(page.locator(HISTORY_ROWS)).to_have_count(25)

    broken = page.evaluate(
        """() => [...document.querySelectorAll('td.invoice-no')].filter(td => {
            const range = document.createRange();
            range.selectNodeContents(td);
            return range.getClientRects().length > 1;
        }).map(td => td.textContent)"""
    )
    assert broken == []


def test_the_chart_loads_when_scrolled_to_and_not_before(ui):
    page = ui.page
    page.set_viewport_size({"width": 1280, "height": 400})
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "/chart/" in r.url else None)
    ui.goto("/customers/1/")
    expect(page.locator(HISTORY_ROWS)).to_have_count(25)  # the history does not wait for it
    assert asked == []

    page.locator("#sales-chart").scroll_into_view_if_needed()
    expect(page.locator("#sales-chart figure.report-chart")).to_be_visible()
    assert len(asked) == 1


@pytest.fixture
def no_js(browser_context_args):
    return {**browser_context_args, "java_script_enabled": False}


def test_without_javascript_the_history_is_in_the_page_and_the_chart_a_link(ui, browser, no_js):
    context = browser.new_context(**no_js)
    context.add_cookies(ui.page.context.cookies())
    page = context.new_page()
    page.goto(ui.url("/customers/1/?type=sales&page=2"))

    expect(page.locator("#history .this-page")).to_contain_text("Page 2 of")  # in the page
    page.get_by_role("link", name="Totals of the transactions matching these filters").click()
    page.wait_for_url(re.compile(r"/customers/1/transactions/totals/\?type=sales"))
    expect(page.locator(".totals-table")).to_be_visible()

    page.goto(ui.url("/customers/1/"))
    page.get_by_role("link", name="Open the 12-month chart").click()
    page.wait_for_url(re.compile(r"/customers/1/chart/"))
    expect(page.locator("figure.report-chart")).to_be_visible()
    context.close()


@pytest.mark.parametrize("width", [1280, 768])
def test_axe_on_the_history_chart_and_statement(ui, width):
    """Each page judged in light and in dark."""
    page = ui.page
    page.set_viewport_size({"width": width, "height": 900})
    violations = []

    ui.goto("/customers/1/?type=sales&from_date=2000-01-01&page=2")
    expect(page.locator(".history-totals")).to_be_visible()
    page.locator("#sales-chart").scroll_into_view_if_needed()
    expect(page.locator("#sales-chart figure.report-chart")).to_be_visible()
    violations += blocking_violations_in_both_schemes(page, "detail with history filters and chart")

    ui.goto("/customers/1/transactions/?from_date=2026-05-01&to_date=2026-01-31")
    expect(page.locator("#to-date-errors")).to_be_visible()
    violations += blocking_violations_in_both_schemes(page, "history with reversed dates")

    ui.goto("/customers/1/statement/")
    violations += blocking_violations_in_both_schemes(page, "statement of the whole history")

    ui.goto("/customers/1/chart/")
    violations += blocking_violations_in_both_schemes(page, "chart page")

    assert not violations, f"axe ({width} px): serious/critical violations:\n" + "\n".join(
        violations
    )


@pytest.mark.parametrize("path", ["/customers/1/", "/customers/1/transactions/"])
def test_a_date_typed_digit_by_digit_is_sent_once_whole(ui, path):
    """Typing 01012026 makes the browser's date valid at year 0002, 0020, 0202: none of
    these is sent; 2026 is, and the answer does not replace the field still focused."""
    page = ui.page
    sent = _history_requests(page)
    ui.goto(path)
    expect(page.locator(HISTORY_ROWS)).to_have_count(25)
    settled(page)
    field = page.locator("#history").get_by_label("From", exact=True)
    field.focus()
    field.evaluate("(el) => { el.typedIn = true; }")  # to tell the same node after the swap

    page.keyboard.type("01012026")
    page.wait_for_url(re.compile(r"from_date=2026-01-01"))
    settled(page)

    expect(field).to_have_value("2026-01-01")
    expect(field).to_be_focused()
    assert field.evaluate("(el) => el.typedIn === true")
    assert [_query(url)["from_date"] for url in sent] == ["2026-01-01"]

    # The caret is still in the year: the arrow key moves the year, not the month.
    page.keyboard.press("ArrowUp")
    page.wait_for_url(re.compile(r"from_date=2027-01-01"))
    settled(page)

    # An answer telling that the To date being typed is wrong keeps the field, marked invalid.
    to_field = page.locator("#history").get_by_label("To", exact=True)
    to_field.focus()
    to_field.evaluate("(el) => { el.typedIn = true; }")
    page.keyboard.type("03312026")
    page.wait_for_url(re.compile(r"to_date=2026-03-31"))
    expect(page.locator("#to-date-errors")).to_have_text(
        "The end date must be on or after the start date."
    )
    expect(to_field).to_have_attribute("aria-invalid", "true")
    expect(to_field).to_be_focused()
    assert to_field.evaluate("(el) => el.typedIn === true")
    assert [(_query(url)["from_date"], _query(url).get("to_date")) for url in sent] == [
        ("2026-01-01", None),
        ("2027-01-01", None),
        ("2027-01-01", "2026-03-31"),
    ]


def test_a_date_left_half_typed_or_implausible(ui):
    """A date is sent as the field is left, even with an odd year; a half-typed one is not."""
    page = ui.page
    sent = _history_requests(page)
    ui.goto("/customers/1/transactions/")
    expect(page.locator(HISTORY_ROWS)).to_have_count(25)
    settled(page)
    field = page.locator("#history").get_by_label("From", exact=True)
    field.focus()

    type_field = page.locator("#history").get_by_label("Type")
    page.keyboard.type("0101")  # no year yet: not a date
    type_field.focus()
    settled(page)
    assert sent == []

    field.focus()
    page.keyboard.type("01010999")  # a whole date, an implausible year: sent once left
    settled(page)
    assert sent == []
    type_field.focus()
    page.wait_for_url(re.compile(r"from_date=0999-01-01"))
    settled(page)
    assert [_query(url)["from_date"] for url in sent] == ["0999-01-01"]


def test_filter_pressed_after_an_odd_year_sends_the_date_once(ui):
    """Leaving the field for "Filter" does not send it too (the second request would
    cancel the first, which htmx logs as an error)."""
    page = ui.page
    sent = _history_requests(page)
    ui.goto("/customers/1/transactions/")
    expect(page.locator(HISTORY_ROWS)).to_have_count(25)
    settled(page)
    page.locator("#history").get_by_label("From", exact=True).focus()
    page.keyboard.type("01011850")

    page.locator("#history").get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"from_date=1850-01-01"))
    settled(page)
    assert [_query(url)["from_date"] for url in sent] == ["1850-01-01"]


@pytest.mark.parametrize("path", ["/customers/1/", "/customers/1/transactions/"])
def test_at_768_px_the_history_says_it_scrolls(ui, path):
    page = ui.page
    page.set_viewport_size({"width": 768, "height": 900})
    ui.goto(path)
    expect(page.locator(HISTORY_ROWS)).to_have_count(25)
    frame = page.locator("#history .scroll-frame")
    region = page.get_by_role("region", name="Transactions", exact=True)

    assert region.evaluate("(box) => box.scrollWidth > box.clientWidth")
    expect(frame).to_have_attribute("data-more", "right")
    expect(page.locator("#history").get_by_text("More columns to the right")).to_be_visible()

    page.set_viewport_size({"width": 1280, "height": 900})
    expect(frame).to_have_attribute("data-more", "")
    expect(page.locator("#history").get_by_text("More columns to the right")).to_be_hidden()
