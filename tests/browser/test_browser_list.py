"""The customer list: live search, filters and pagination by htmx, with the URL kept in step."""

import re

from playwright.sync_api import expect

ROWS = "#result_list tbody tr"


def _mark_page(page):
    """Put a marker on `window`: it survives htmx swaps and disappears on a full reload."""
    page.evaluate("window.__noReload = true")


def _still_same_document(page) -> bool:
    return page.evaluate("window.__noReload === true")


def test_search_filters_and_pagination_update_rows_and_url(ui):
    page = ui.page
    count = page.locator("#result-count")
    expect(count).to_contain_text("58 customers — page 1 of 3")
    expect(page.locator(ROWS)).to_have_count(25)
    _mark_page(page)

    # Pagination: "Next ›" swaps the rows in place and pushes ?page=2.
    page.get_by_role("link", name="Next ›").first.click()
    page.wait_for_url(re.compile(r"[?&]page=2\b"))
    expect(count).to_contain_text("page 2 of 3")
    expect(page.locator(ROWS).first.locator(".field-customer_no")).to_have_text("CUST0026")
    ui.snap("page-2")
    assert _still_same_document(page), "pagination reloaded the whole page"

    # Back: the first page again.
    page.go_back()
    page.wait_for_url(re.compile(r"/customers/$"))
    expect(count).to_contain_text("page 1 of 3")
    expect(page.locator(ROWS).first.locator(".field-customer_no")).to_have_text("CUST0001")
    page.wait_for_load_state("load")  # htmx reloads the page on back; let its script start
    _mark_page(page)

    # Typing in "Search": rows update without a reload, the URL gains search=.
    page.get_by_label("Search", exact=True).fill("Ltd")
    page.wait_for_url(re.compile(r"[?&]search=Ltd\b"))
    expect(count).to_contain_text("9 customers match your filters")
    names = page.locator(f"{ROWS} .field-name")
    expect(names).to_have_count(9)
    for name in names.all_text_contents():
        assert "ltd" in name.lower(), name
    assert _still_same_document(page), "the search reloaded the whole page"

    # Branch filter, the search kept.
    page.get_by_label("Branch", exact=True).select_option("00")
    page.wait_for_url(re.compile(r"branch_id=00\b"))
    assert "search=Ltd" in page.url
    expect(count).to_contain_text("2 customers match your filters")
    expect(page.locator(f"{ROWS} .field-name")).to_have_text(
        ["Jamii Trading Ltd", "Greenfield Distributors Ltd"]
    )

    # Status filter alone: the inactive customers of every branch.
    page.get_by_label("Search", exact=True).fill("")
    page.wait_for_url(lambda url: "search=Ltd" not in url)
    page.get_by_label("Branch", exact=True).select_option("")
    page.wait_for_url(lambda url: "branch_id=00" not in url)
    page.get_by_label("Status", exact=True).select_option("inactive")
    page.wait_for_url(re.compile(r"status=inactive\b"))
    expect(count).to_contain_text("3 customers match your filters")
    statuses = page.locator(f"{ROWS} .field-is_active")
    expect(statuses).to_have_count(3)
    expect(statuses).to_have_text(["Inactive"] * 3)
    assert _still_same_document(page), "the filters reloaded the whole page"

    # Back: the state before the status filter (all branches, no status), then forward.
    page.go_back()
    page.wait_for_url(lambda url: "status=inactive" not in url)
    expect(page.get_by_label("Status", exact=True)).to_have_value("")
    expect(count).to_contain_text("58 customers")
    page.go_forward()
    page.wait_for_url(re.compile(r"status=inactive\b"))
    expect(page.get_by_label("Status", exact=True)).to_have_value("inactive")
    expect(statuses).to_have_count(3)


def test_typed_search_then_filter_then_back_twice(ui):
    """Typing + Enter makes one request and one history entry; back walks the states."""
    page = ui.page
    count = page.locator("#result-count")
    history_length = page.evaluate("history.length")

    search = page.get_by_label("Search", exact=True)
    search.click()
    page.keyboard.type("Dennis")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"search=Dennis\b"))
    expect(count).to_contain_text("4 customers match your filters")
    page.keyboard.press("Tab")  # leaving the field must not send (and push) it again
    page.wait_for_timeout(400)  # longer than the search's 300 ms debounce
    assert page.evaluate("history.length") == history_length + 1

    page.get_by_label("Branch", exact=True).select_option("02")
    page.wait_for_url(re.compile(r"branch_id=02\b"))
    expect(count).to_contain_text("1 customer matches your filters")
    expect(page.locator(f"{ROWS} .field-name")).to_have_text(["Dennis Gitau"])

    page.go_back()
    page.wait_for_url(lambda url: "search=Dennis" in url and "branch_id=02" not in url)
    expect(search).to_have_value("Dennis")
    expect(page.get_by_label("Branch", exact=True)).to_have_value("")
    expect(count).to_contain_text("4 customers match your filters")

    page.go_back()
    page.wait_for_url(re.compile(r"/customers/$"))
    expect(search).to_have_value("")
    expect(count).to_contain_text("58 customers — page 1 of 3")

    # A filtered URL opened directly shows the same state.
    ui.goto("/customers/?status=active&branch_id=02&page=1")
    expect(page.get_by_label("Status", exact=True)).to_have_value("active")
    expect(page.get_by_label("Branch", exact=True)).to_have_value("02")
    expect(count).to_contain_text("customers match your filters")
    for cell in page.locator(f"{ROWS} .field-branch").all_text_contents():
        assert cell.startswith("02"), cell


def test_at_768_px_the_table_says_it_scrolls_and_the_keys_scroll_it(ui):
    """Columns out of view are announced by a hint and a shade on that side; the table's box
    takes the focus (it has a name), so the arrow keys bring them in. At 1280 px: no cue."""
    page = ui.page
    page.set_viewport_size({"width": 768, "height": 900})
    page.emulate_media(reduced_motion="reduce")  # the shade shows at once
    ui.goto("/customers/")
    frame = page.locator("#changelist .scroll-frame")
    region = page.get_by_role("region", name="Customer list")
    hint = page.get_by_text("More columns to the right: scroll the table sideways.")
    expect(page.locator(ROWS)).to_have_count(25)

    assert region.evaluate("(box) => box.scrollWidth > box.clientWidth")
    expect(hint).to_be_visible()
    expect(frame).to_have_attribute("data-more", "right")
    shade = frame.evaluate("(f) => getComputedStyle(f, '::after').opacity")
    assert shade == "1"
    ui.snap("scrolls")

    region.focus()
    expect(region).to_be_focused()
    for _ in range(40):
        page.keyboard.press("ArrowRight")
    expect(frame).to_have_attribute("data-more", "left")
    assert region.evaluate("(box) => box.scrollLeft + box.clientWidth >= box.scrollWidth - 1")

    # A filter change brings a new table: the cue follows it.
    page.get_by_label("Status", exact=True).select_option("inactive")
    expect(page.locator(ROWS)).to_have_count(3)
    expect(frame).to_have_attribute("data-more", "right")

    page.set_viewport_size({"width": 1280, "height": 900})
    expect(frame).to_have_attribute("data-more", "")
    expect(hint).to_be_hidden()
