"""Adding a customer: live field checks, errors beside the fields, input kept, 409 on the number."""

import re

from playwright.sync_api import expect

from sandbox.models import SandboxCustomer

TIN_ERROR = "Enter a TIN of 11 characters"
TYPED = {
    "Customer number": "BRW-2001",
    "Customer name": "Upendo Browser Supplies Ltd",
    "TIN": "P12345",
    "Phone": "0712 345 678",
    "Email": "accounts@upendo-browser.co.ke",
    "Address": "Moi Avenue, Nairobi\nP.O. Box 1-00100",
}


def _open_form(ui):
    page = ui.page
    page.get_by_role("link", name="Add customer").click()
    page.wait_for_url(re.compile(r"/customers/new/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Add customer")
    return page


def test_create_with_a_bad_tin_then_corrected(ui):
    page = _open_form(ui)
    page.get_by_label("Branch").select_option("01")
    for label, value in TYPED.items():
        page.get_by_label(label, exact=True).fill(value)

    # Leaving the TIN field checks it on the server (htmx) and shows the error beside it.
    tin = page.get_by_label("TIN", exact=True)
    tin.focus()
    page.keyboard.press("Tab")
    tin_errors = page.locator("#errors-tin")
    expect(tin_errors).to_contain_text(TIN_ERROR)
    expect(tin).to_have_attribute("aria-describedby", re.compile(r"\berrors-tin\b"))
    expect(page.locator("#errors-phone")).to_be_empty()

    # Submitting anyway: the same error, the form redrawn with everything that was typed.
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("p.errornote")).to_have_text("Please correct the error below.")
    expect(tin_errors).to_contain_text(TIN_ERROR)
    expect(page.get_by_label("Branch")).to_have_value("01")
    for label, value in TYPED.items():
        expect(page.get_by_label(label, exact=True)).to_have_value(value)
    assert not SandboxCustomer.objects.filter(customer_no="BRW-2001").exists()
    ui.snap("bad-tin")

    # Corrected (lower case is accepted and normalised), the live check clears the error.
    tin.fill("p000123456x")
    page.keyboard.press("Tab")
    expect(tin_errors).to_be_empty()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r"/customers/\d+/$"))

    expect(page.locator(".messagelist")).to_contain_text(
        "The customer “Upendo Browser Supplies Ltd” was added."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Upendo Browser Supplies Ltd")
    profile = page.locator(".profile-list")
    expect(profile).to_contain_text("BRW-2001")
    expect(profile).to_contain_text("P000123456X")
    expect(profile.get_by_role("link", name="+254712345678")).to_have_attribute(
        "href", "tel:+254712345678"
    )
    expect(profile).to_contain_text("accounts@upendo-browser.co.ke")
    expect(profile).to_contain_text("01 — Mombasa Road")
    expect(profile.locator("dd").filter(has_text="Moi Avenue")).to_have_text(
        re.compile(r"Moi Avenue, Nairobi\s*P\.O\. Box 1-00100")
    )
    saved = SandboxCustomer.objects.get(customer_no="BRW-2001")
    assert (saved.branch_id, saved.phone, saved.tin) == ("01", "+254712345678", "P000123456X")


def test_create_with_a_duplicate_number_shows_the_conflict(ui):
    page = _open_form(ui)
    page.get_by_label("Branch").select_option("00")
    page.get_by_label("Customer number").fill("CUST0001")
    page.get_by_label("Customer name").fill("Jamii Trading")
    page.get_by_label("Phone").fill("+254 722 000 111")
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()

    assert page.url.endswith("/customers/new/")
    # One message, on the field, naming the holder found by the name typed.
    errors = page.locator("#errors-customer_no")
    expect(errors).to_have_text(
        "The customer number CUST0001 is already taken by Jamii Trading Ltd (CUST0001)."
    )
    expect(errors.get_by_role("link")).to_have_text("Jamii Trading Ltd (CUST0001)")
    expect(page.locator(".field-customer_no")).to_have_class(re.compile(r"\berrors\b"))
    expect(page.get_by_label("Customer number")).to_be_focused()
    expect(page.get_by_text("probably saved")).to_have_count(0)
    # What was typed is still there.
    expect(page.get_by_label("Branch")).to_have_value("00")
    expect(page.get_by_label("Customer number")).to_have_value("CUST0001")
    expect(page.get_by_label("Customer name")).to_have_value("Jamii Trading")
    expect(page.get_by_label("Phone")).to_have_value("+254 722 000 111")
    assert SandboxCustomer.objects.filter(customer_no="CUST0001").count() == 1
    ui.snap("conflict")

    # The same number in another branch is fine (the rule is per branch).
    page.get_by_label("Branch").select_option("02")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r"/customers/\d+/$"))
    expect(page.locator(".profile-list")).to_contain_text("02 — Kisumu")
    expect(page.locator(".profile-list")).to_contain_text("+254722000111")
