"""Reports in Chromium: the 12-month chart (light and dark), the statement's print preview,
and a CSV export started from the list. Screenshots go to artifacts/screenshots/."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.axe_checks import blocking_violations, each_scheme

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture
def browser_context_args(browser_context_args):
    """Light (the admin's theme follows the scheme; a test shows dark with each_scheme)."""
    return {
        **browser_context_args,
        "color_scheme": "light",
        "viewport": {"width": 1280, "height": 900},
    }


def test_report_chart(ui):
    page = ui.page
    ui.goto("/customers/1/")
    chart = page.locator("#sales-chart figure.report-chart")
    expect(chart).to_be_visible()  # loaded by htmx after the page
    expect(page.locator("#profile-heading")).to_be_visible()
    bars = chart.locator("rect.bar")
    expect(bars).to_have_count(24)

    # Keyboard: a bar takes focus and shows its value.
    last_sales = chart.locator("rect.bar-sales").last
    last_sales.focus()
    expect(last_sales).to_be_focused()
    label = last_sales.get_attribute("aria-label")
    assert re.match(r"Sales, \w+ \d{4}: KES [\d,]+\.\d\d from \d+ transactions?$", label), label
    value = last_sales.locator("xpath=following-sibling::*[1]")
    expect(value).to_have_css("opacity", "1")

    section = page.locator(".report-chart-section")
    for scheme in each_scheme(page):
        section.screenshot(path=SCREENSHOTS / f"report-chart-{scheme}.png")

    # "Show as table": the same figures, without script.
    page.get_by_text("Show as table").click()
    table = chart.locator("details table")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(12)
    violations = []
    for scheme in each_scheme(page):
        section.screenshot(path=SCREENSHOTS / f"report-chart-table-{scheme}.png")
        violations += blocking_violations(page, f"chart as a table, {scheme}")
    assert violations == []


def test_report_statement_print_preview(ui):
    page = ui.page
    ui.goto("/customers/1/")
    page.locator(".report-links").get_by_role("link", name="Printable statement").click()
    page.wait_for_url(re.compile(r"/customers/1/statement/$"))
    expect(page.get_by_role("heading", name="Customer statement")).to_be_visible()
    expect(page.get_by_role("button", name="Print or save as PDF")).to_be_visible()
    violations = []
    for scheme in each_scheme(page):
        violations += blocking_violations(page, f"statement, {scheme}")
        page.screenshot(path=SCREENSHOTS / f"report-statement-screen-{scheme}.png", full_page=True)
    assert violations == []

    page.emulate_media(media="print")
    for _scheme in each_scheme(page):
        expect(page.locator("#header")).to_be_hidden()
        expect(page.locator("nav").first).to_be_hidden()
        expect(page.locator(".statement-tools")).to_be_hidden()
        expect(page.locator("table.totals-table")).to_be_visible()
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.screenshot(path=SCREENSHOTS / "report-statement-print.png", full_page=True)
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")


def test_report_export_from_the_list(ui):
    page = ui.page
    page.get_by_label("Branch", exact=True).select_option("00")
    page.wait_for_url(re.compile(r"branch_id=00\b"))
    link = page.locator("#results").get_by_role("link", name="Export CSV")
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert re.fullmatch(r"customers-branch-00-\d{4}-\d\d-\d\d\.csv", download.suggested_filename)
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"\xef\xbb\xbfCustomer number,Name,")
    status = page.locator("#export-customers-status")
    expect(status).to_have_text("Your download has started; your browser shows its progress.")
    page.screenshot(
        path=SCREENSHOTS / "report-export-link.png",
        clip={"x": 0, "y": 0, "width": 1280, "height": 420},
    )


def test_report_chart_longer_than_the_budget(ui, monkeypatch):
    from customers.reports import fetching

    monkeypatch.setattr(fetching, "PER_PAGE", 25)
    monkeypatch.setattr(fetching, "MAX_PAGES", 2)  # the 50 most recent transactions
    page = ui.page
    ui.goto("/customers/1/chart/")
    notice = page.locator(".chart-notice")
    expect(notice).to_contain_text("Not every transaction is in this chart.")
    expect(notice).to_contain_text("the 50 most recent")
    expect(page.locator("rect.month-missing").first).to_be_visible()
    page.get_by_text("Show as table").click()
    expect(page.locator("td.not-loaded").first).to_have_text("Not loaded")
    for scheme in each_scheme(page):
        page.locator(".report-chart-section").screenshot(
            path=SCREENSHOTS / f"report-chart-truncated-{scheme}.png"
        )
