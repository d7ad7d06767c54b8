"""The list at the counter, in Chromium: actions, keys, recently viewed, people search, Back
(long values and axe: test_browser_list_long_values_axe.py)."""

import re
from urllib.parse import urlencode

from playwright.sync_api import expect

from sandbox.models import SandboxCustomer

ROWS = "#result_list tbody tr"


def test_mark_as_inactive_through_the_confirmation_page(ui):
    page = ui.page
    first, second = page.locator(f"{ROWS} .field-name").all_text_contents()[:2]
    page.get_by_label(f"Select {first}", exact=True).check()
    page.get_by_label(f"Select {second}", exact=True).check()
    expect(page.locator("#action-counter")).to_have_text("2 of 25 selected")
    page.get_by_label("Action", exact=True).select_option(label="Mark as inactive")
    page.get_by_role("button", name="Go").click()

    expect(page.get_by_role("button", name="Yes, I'm sure")).to_be_visible()
    expect(page.get_by_text(first, exact=True)).to_be_visible()
    expect(page.get_by_text(re.compile(r"at most about \d+ seconds"))).to_be_visible()
    ui.snap("confirm")
    page.get_by_role("button", name="Yes, I'm sure").click()

    expect(page.get_by_role("status").filter(has_text="changed")).to_have_text(
        "2 of 2 customers changed."
    )
    expect(page.locator("#bulk-outcomes tbody tr")).to_have_count(2)
    assert page.locator("#bulk-outcomes td", has_text="Done").count() == 2
    assert SandboxCustomer.objects.filter(name__in=[first, second], is_active=False).count() == 2

    page.get_by_role("link", name="Back to the customer list").click()
    page.wait_for_url(re.compile(r"/customers/$"))


def test_the_select_page_box_ticks_every_row(ui):
    page = ui.page
    page.get_by_label("Select every customer on this page").check()
    expect(page.locator("#action-counter")).to_have_text("25 of 25 selected")
    assert page.locator(f"{ROWS} input.action-select:checked").count() == 25
    page.get_by_label("Select every customer on this page").uncheck()
    expect(page.locator("#action-counter")).to_have_text("0 of 25 selected")


def test_keys_move_a_highlight_open_edit_and_explain_themselves(ui):
    page = ui.page
    page.locator("main").click(position={"x": 5, "y": 5})  # no field has the focus
    page.keyboard.press("j")
    page.keyboard.press("j")
    second = page.locator(ROWS).nth(1)
    expect(second).to_have_class(re.compile(r"\bis-highlighted\b"))
    name = second.locator(".field-name").inner_text()
    expect(page.locator("#row-announcer")).to_contain_text(f"Highlighted 2 of 25: {name}")
    page.keyboard.press("k")
    expect(page.locator(ROWS).first).to_have_class(re.compile(r"\bis-highlighted\b"))
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/customers/\d+/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)

    page.go_back()
    page.wait_for_url(re.compile(r"/customers/$"))
    page.wait_for_load_state("load")
    page.keyboard.press("j")
    page.keyboard.press("e")
    page.wait_for_url(re.compile(r"/customers/\d+/edit/"))

    page.go_back()
    page.wait_for_load_state("load")
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    ui.snap("keys")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.keyboard.press("/")
    expect(page.get_by_role("combobox", name="Search customers")).to_be_focused()
    page.keyboard.press("j")  # typing in a field is typing, not a key of the list
    expect(page.get_by_role("combobox", name="Search customers")).to_have_value("j")


def test_x_ticks_the_highlighted_row_and_go_without_an_action_keeps_the_ticks(ui):
    page = ui.page
    page.locator("main").click(position={"x": 5, "y": 5})  # no field has the focus
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("x")
    second = page.locator(ROWS).nth(1)
    expect(second.locator("input.action-select")).to_be_checked()
    expect(page.locator("#action-counter")).to_have_text("1 of 25 selected")
    name = second.locator(".field-name").inner_text()
    expect(page.locator("#row-announcer")).to_have_text(f"Ticked: {name}.")
    page.keyboard.press("j")
    page.keyboard.press("x")
    page.keyboard.press("x")  # x again unticks
    expect(page.locator("#action-counter")).to_have_text("1 of 25 selected")

    page.get_by_role("button", name="Go").click()  # no action picked

    page.wait_for_url(re.compile(r"/customers/$"))
    expect(page.get_by_text("Pick an action")).to_be_visible()
    expect(page.locator(f"{ROWS} input.action-select:checked")).to_have_count(1)
    expect(page.get_by_label(f"Select {name}", exact=True)).to_be_checked()
    expect(page.locator("#action-counter")).to_have_text("1 of 25 selected")


def test_recently_viewed_are_offered_in_the_empty_search_box(ui):
    page = ui.page
    names = page.locator(f"{ROWS} .field-name").all_text_contents()[:2]
    for name in names:
        page.get_by_role("link", name=name, exact=True).click()
        page.wait_for_url(re.compile(r"/customers/\d+/"))
        page.go_back()
        page.wait_for_url(re.compile(r"/customers/$"))
        page.wait_for_load_state("load")

    box = page.get_by_role("combobox", name="Search customers")
    box.focus()
    listbox = page.get_by_role("listbox", name="Recently viewed customers")
    expect(listbox).to_be_visible()
    options = listbox.get_by_role("option")
    expect(options).to_have_count(2)
    expect(options.first).to_contain_text(names[1])  # latest first
    ui.snap("recent")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/customers/\d+/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(names[0])


def test_the_quick_search_understands_words_and_phones(ui):
    page = ui.page
    box = page.get_by_role("combobox", name="Search customers")
    box.fill("ltd jamii")
    listbox = page.get_by_role("listbox")
    expect(listbox.get_by_role("option").first).to_contain_text("Jamii Trading Ltd")

    customer = SandboxCustomer.objects.filter(phone__startswith="+2547").order_by("id").first()
    national = "0" + customer.phone[4:7] + "-" + customer.phone[7:10] + "-" + customer.phone[10:]
    box.fill(national)
    expect(listbox.get_by_role("option").first).to_contain_text(customer.name)

    box.fill("254")  # in every phone number: more than ten match
    every = page.get_by_role("option", name=re.compile("Show every match"))
    expect(every).to_be_visible()
    expect(listbox.get_by_role("option")).to_have_count(11)
    every.click()
    page.wait_for_url(re.compile(r"/customers/\?search=254$"))


def test_typing_in_the_list_search_leaves_one_history_entry(ui):
    page = ui.page
    ui.goto("/accounts/password_change/")
    ui.goto("/customers/")
    search = page.get_by_label("Search", exact=True)
    for letter in "kamau":
        search.press(letter)
        page.wait_for_timeout(400)  # a pause after each key: each one reaches the server
    page.wait_for_url(re.compile(r"search=kamau"))
    page.go_back()
    page.wait_for_url(re.compile(r"/accounts/password_change/"))


def test_both_search_boxes_find_a_phone_however_it_is_partly_typed(ui):
    """Issue "A second day at the counter" #2: one rule for the header's box and the list's."""
    page = ui.page
    customer = SandboxCustomer.objects.order_by("id").first()
    SandboxCustomer.objects.filter(pk=customer.pk).update(phone="+254722345678")
    SandboxCustomer.objects.exclude(pk=customer.pk).filter(phone__contains="722345").update(
        phone="+254799000000"
    )
    box = page.get_by_role("combobox", name="Search customers")
    listbox = page.get_by_role("listbox")
    for typed in ("0722 345", "722 345", "+254 722 345", "0722-345-678"):
        box.fill(typed)
        expect(listbox.get_by_role("option").first).to_contain_text(customer.name)
        ui.goto("/customers/?" + urlencode({"search": typed}))
        expect(page.locator(f"{ROWS} .field-name")).to_have_text([customer.name])
        expect(page.get_by_label("Search", exact=True)).to_have_value(typed)

    box = page.get_by_role("combobox", name="Search customers")
    box.fill("+254 7")
    every = page.get_by_role("option", name=re.compile("Show every match"))
    expect(every).to_contain_text("Show every match for “+254 7”")
    every.click()
    page.wait_for_url(re.compile(r"/customers/\?search=%2B254\+7$"))
    expect(page.get_by_label("Search", exact=True)).to_have_value("+254 7")
