"""The detail page: profile, summary, and the transaction history loaded (and filtered) by htmx."""

import re

from playwright.sync_api import expect

HISTORY_ROWS = "#history table.transactions tbody tr"


def test_detail_history_loads_and_filters_by_type(ui):
    page = ui.page
    # Reach the record from the list, as a user would.
    page.get_by_role("link", name="Jamii Trading Ltd").click()
    page.wait_for_url(re.compile(r"/customers/1/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Jamii Trading Ltd")
    profile = page.locator(".profile-list")
    expect(profile).to_contain_text("CUST0001")
    expect(profile).to_contain_text("00 — Head Office")
    expect(page.locator(".summary")).to_contain_text("150")
    expect(page.locator(".recent table.transactions tbody tr")).to_have_count(5)

    # The history section arrives by htmx after the page has loaded.
    history = page.locator("#history")
    expect(history.locator(".result-count")).to_contain_text("150 transactions — page 1 of 6")
    expect(page.locator(HISTORY_ROWS)).to_have_count(25)
    types = page.locator(f"{HISTORY_ROWS} td:nth-child(3)")
    assert {"Sales", "Purchases"} <= set(types.all_text_contents())
    detail_url = page.url
    page.evaluate("window.__noReload = true")

    # Filtering by type swaps only the history; the address stays the detail's, with the filters.
    history.get_by_label("Type").select_option("purchases")
    expect(history.locator(".result-count")).not_to_contain_text("150 transactions")
    expect(history.get_by_label("Type")).to_have_value("purchases")
    assert set(types.all_text_contents()) == {"Purchases"}
    purchases = int(history.locator(".result-count").text_content().split()[0])
    assert 0 < purchases < 150

    history.get_by_label("Type").select_option("sales")
    expect(history.locator(".result-count")).to_contain_text(f"{150 - purchases} transactions")
    assert set(types.all_text_contents()) == {"Sales"}

    # The history's own pagination stays inside the section too.
    history.get_by_role("link", name="Next ›").click()
    expect(history.locator(".this-page")).to_contain_text("Page 2 of")
    assert set(types.all_text_contents()) == {"Sales"}
    assert page.url.startswith(f"{detail_url}?type=sales") and page.url.endswith("page=2")
    assert page.evaluate("window.__noReload === true"), "the history reloaded the whole page"


def test_detail_of_a_customer_without_history(ui):
    ui.goto("/customers/10/")
    page = ui.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Musyoka Traders")
    expect(page.locator(".recent")).to_contain_text("No transactions with this customer yet.")
    expect(page.locator("#history")).to_contain_text("0 transactions")
    expect(page.locator("#history")).to_contain_text("No transactions with this customer yet.")
