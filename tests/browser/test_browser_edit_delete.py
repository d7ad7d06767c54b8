"""Editing one field, switching a customer off, and deleting one (with confirmation)."""

import re

from playwright.sync_api import expect

from sandbox.models import SandboxCustomer


def _edit(page):
    page.get_by_role("link", name="Edit", exact=True).click()
    page.wait_for_url(re.compile(r"/customers/\d+/edit/"))


def test_edit_phone_then_switch_active_off(ui):
    page = ui.page
    ui.goto("/customers/5/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wafula Investments Ltd")
    _edit(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit Wafula Investments Ltd")
    phone = page.get_by_label("Phone")
    expect(phone).to_have_value("+254742612663")

    phone.fill("0722 000 111")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r"/customers/5/$"))
    expect(page.locator(".messagelist")).to_contain_text("Saved: Phone.")
    profile = page.locator(".profile-list")
    expect(profile.get_by_role("link", name="+254722000111")).to_be_visible()
    expect(profile).to_contain_text("Active")
    saved = SandboxCustomer.objects.get(pk=5)
    assert saved.phone == "+254722000111"
    assert saved.name == "Wafula Investments Ltd" and saved.is_active

    _edit(page)
    active = page.get_by_label("Active")
    expect(active).to_be_checked()
    active.uncheck()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r"/customers/5/$"))
    expect(page.locator(".messagelist")).to_contain_text("Saved: Active.")
    expect(profile.locator(".status-inactive")).to_have_text("Inactive")
    expect(profile.get_by_role("link", name="+254722000111")).to_be_visible()
    assert SandboxCustomer.objects.get(pk=5).is_active is False


def test_delete_after_confirmation(ui):
    page = ui.page
    rows = page.locator("#result_list tbody tr")
    expect(page.locator("#result-count")).to_contain_text("58 customers")
    expect(rows.filter(has_text="CUST0003")).to_have_count(1)

    page.get_by_role("link", name="Odhiambo Electronics").click()
    page.wait_for_url(re.compile(r"/customers/3/"))
    page.get_by_role("link", name="Delete", exact=True).click()
    page.wait_for_url(re.compile(r"/customers/3/delete/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete Odhiambo Electronics?")
    expect(page.locator("#content")).to_contain_text(
        "The customer will no longer appear in searches or lists. Their past sales stay on "
        "record. This cannot be undone from ctaxoffice."
    )
    ui.snap("confirmation")

    # "No" goes back and changes nothing.
    page.get_by_role("link", name="No, take me back").click()
    page.wait_for_url(re.compile(r"/customers/3/$"))
    page.get_by_role("link", name="Delete", exact=True).click()
    page.get_by_role("button", name="Yes, delete").click()

    page.wait_for_url(re.compile(r"/customers/$"))
    expect(page.locator(".messagelist")).to_contain_text(
        "The customer “Odhiambo Electronics” was deleted. Their past sales stay on record."
    )
    expect(page.locator("#result-count")).to_contain_text("57 customers")
    expect(rows.first).to_contain_text("CUST0001")
    expect(rows.filter(has_text="CUST0003")).to_have_count(0)
    expect(page.get_by_role("link", name="Odhiambo Electronics")).to_have_count(0)
    assert SandboxCustomer.objects.get(pk=3).deleted_at is not None
