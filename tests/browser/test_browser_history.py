"""The history in the address bar (detail and transactions pages), its totals, the lazy
chart, and axe on these pages in light and dark."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.axe_checks import blocking_violations
from tests.browser.htmx_waits import settled

HISTORY_ROWS = "#history table.transactions tbody tr"


def _query(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


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


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_on_the_history_chart_and_statement(ui, scheme):
    page = ui.page
    page.emulate_media(color_scheme=scheme)
    violations = []

    ui.goto("/customers/1/?type=sales&from_date=2000-01-01&page=2")
    expect(page.locator(".history-totals")).to_be_visible()
    page.locator("#sales-chart").scroll_into_view_if_needed()
    expect(page.locator("#sales-chart figure.report-chart")).to_be_visible()
    violations += blocking_violations(page, "detail with history filters and chart")

    ui.goto("/customers/1/transactions/?from_date=2026-05-01&to_date=2026-01-31")
    expect(page.locator("#to-date-errors")).to_be_visible()
    violations += blocking_violations(page, "history with reversed dates")

    ui.goto("/customers/1/statement/")
    violations += blocking_violations(page, "statement of the whole history")

    ui.goto("/customers/1/chart/")
    violations += blocking_violations(page, "chart page")

    assert not violations, f"axe ({scheme}): serious/critical violations:\n" + "\n".join(violations)
