"""Records with markup in them are shown as text everywhere: nothing runs, no dialog opens.

The `app` fixture records every dialog (alert/confirm/prompt) and fails the test on one.
"""

import re

from playwright.sync_api import expect

SCRIPT_NAME = '<script>alert("x")</script> Ltd'
IMG_NAME = '"><img src=x onerror=alert(1)>'
TEMPLATE_NAME = "{{ 7*7 }} Supplies & Co. 'Quoted' \"Ltd\""


def _no_injected_markup(page):
    assert page.locator("img[src='x']").count() == 0, "an <img> from a record was rendered"
    assert page.locator("script:not([src])").count() == 0, "an inline script was rendered"


def test_hostile_names_render_as_text(ui):
    page = ui.page
    page.get_by_label("Per page").select_option("50")
    page.wait_for_url(re.compile(r"per_page=50\b"))
    names = page.locator("#result_list .field-name")
    expect(names.filter(has_text=SCRIPT_NAME)).to_have_count(1)
    expect(names.filter(has_text=IMG_NAME)).to_have_count(1)
    expect(names.filter(has_text=TEMPLATE_NAME)).to_have_count(1)  # not rendered as "49"
    _no_injected_markup(page)

    # Detail pages: heading, breadcrumbs, profile.
    for customer_id, name in ((4, SCRIPT_NAME), (8, IMG_NAME), (30, TEMPLATE_NAME)):
        ui.goto(f"/customers/{customer_id}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        expect(page.locator(".profile-list")).to_contain_text(name)
        expect(page).to_have_title(re.compile(re.escape(name)))
        _no_injected_markup(page)

    # The edit form keeps the value as a value.
    ui.goto("/customers/8/edit/")
    expect(page.get_by_label("Customer name")).to_have_value(IMG_NAME)
    _no_injected_markup(page)

    # The quick search highlights inside escaped text.
    page.get_by_role("combobox", name="Search customers").fill("script")
    options = page.locator("#quick-search-results").get_by_role("option")
    expect(options).to_have_count(1)
    expect(options.first.locator(".qs-name")).to_have_text(SCRIPT_NAME)
    expect(options.first.locator(".qs-name mark")).to_have_text(["script", "script"])
    page.get_by_role("combobox", name="Search customers").fill("onerror")
    expect(options).to_have_count(1)
    expect(options.first.locator(".qs-name")).to_have_text(IMG_NAME)
    _no_injected_markup(page)

    # The delete confirmation quotes the name.
    ui.goto("/customers/4/delete/")
    expect(page.locator("#content")).to_contain_text(f"“{SCRIPT_NAME}”")
    _no_injected_markup(page)
    assert ui.dialogs == []


def test_hostile_name_typed_into_the_form_is_saved_as_text(ui):
    page = ui.page
    ui.goto("/customers/new/")
    page.get_by_label("Branch").select_option("00")
    page.get_by_label("Customer number").fill("XSS-1")
    page.get_by_label("Customer name").fill("<svg onload=alert(2)> & Sons")
    page.get_by_label("Address").fill('"><script>alert(3)</script>')
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r"/customers/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("<svg onload=alert(2)> & Sons")
    expect(page.locator(".messagelist")).to_contain_text("<svg onload=alert(2)> & Sons")
    expect(page.locator(".profile-list")).to_contain_text('"><script>alert(3)</script>')
    assert page.locator("svg[onload]").count() == 0
    _no_injected_markup(page)
    assert ui.dialogs == []
