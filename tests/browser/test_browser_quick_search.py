"""The header's quick search, driven by the keyboard alone (WAI-ARIA combobox + listbox)."""

import re

from playwright.sync_api import expect


def test_quick_search_by_keyboard_only(ui):
    page = ui.page
    ui.goto("/customers/3/")  # any page has the quick search; start away from the list
    box = page.get_by_role("combobox", name="Search customers")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_attribute("aria-controls", "quick-search-listbox")
    expect(box).to_have_attribute("aria-autocomplete", "list")

    page.keyboard.press("/")
    expect(box).to_be_focused()
    page.keyboard.type("Ltd")

    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    expect(listbox).to_have_attribute("id", "quick-search-listbox")
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options).to_have_count(9)  # the nine live customers with "Ltd" in their name
    expect(options.locator("mark").first).to_have_text(re.compile("Ltd", re.IGNORECASE))
    assert box.get_attribute("aria-activedescendant") is None

    page.keyboard.press("ArrowDown")
    first = options.nth(0)
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    expect(first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowDown")
    second = options.nth(1)
    expect(box).to_have_attribute("aria-activedescendant", second.get_attribute("id"))
    expect(second).to_have_attribute("aria-selected", "true")
    expect(first).to_have_attribute("aria-selected", "false")
    ui.snap("open")
    page.keyboard.press("ArrowUp")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))

    # Escape closes the popup and keeps the text; focus stays in the box.
    page.keyboard.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(listbox).to_be_hidden()
    assert box.get_attribute("aria-activedescendant") is None
    expect(box).to_have_value("Ltd")
    expect(box).to_be_focused()

    # ArrowDown opens it again; pick the second option and open it with Enter.
    page.keyboard.press("ArrowDown")
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    page.keyboard.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", second.get_attribute("id"))
    target = second.get_attribute("data-href")
    name = second.locator(".qs-name").text_content().strip()
    assert re.fullmatch(r"/customers/\d+/", target), target

    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(target) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_role("combobox", name="Search customers")).to_have_attribute(
        "aria-expanded", "false"
    )


def test_quick_search_short_and_unmatched_queries(ui):
    page = ui.page
    box = page.get_by_role("combobox", name="Search customers")
    results = page.locator("#quick-search-results")
    page.keyboard.press("/")
    expect(box).to_be_focused()
    page.keyboard.type("L")  # one character: nothing is asked, nothing opens
    page.wait_for_timeout(400)
    expect(box).to_have_attribute("aria-expanded", "false")

    page.keyboard.type("zzqx")
    expect(results).to_contain_text("No customer matches “Lzzqx”")
    expect(results.get_by_role("option")).to_have_count(0)
    page.keyboard.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(results).to_be_hidden()

    # A second Escape empties the box; Enter without a highlighted option opens the list.
    page.keyboard.press("Escape")
    expect(box).to_have_value("")
    page.keyboard.type("Dennis")
    expect(results.get_by_role("option")).to_have_count(4)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/customers/\?search=Dennis$"))
    expect(page.locator("#result-count")).to_contain_text("4 customers match your filters")


def test_quick_search_option_opens_on_click(ui):
    page = ui.page
    box = page.get_by_role("combobox", name="Search customers")
    box.click()
    page.keyboard.type("Dennis")
    option = page.get_by_role("option", name=re.compile("Dennis Gitau"))
    expect(option).to_be_visible()
    option.click()
    page.wait_for_url(re.compile(r"/customers/35/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Dennis Gitau")
