"""The customer form in Chromium: stale values never block (issue 14 #1), drafts and leaving
a changed form (#6), the counter's defaults (#7)."""

import re

import pytest
from playwright.sync_api import expect

from sandbox.models import SandboxCustomer
from tests.browser.form_helpers import STALE_PHONE, accept_leaving, drafts, log_in_as, restore_roles
from tests.role_users import make_user


@pytest.fixture
def clerk_app(app, django_user_model):
    """The app logged in as an office clerk of branch 00 only."""
    restore_roles()
    user = make_user(django_user_model, "clerk00", role="Office staff", branch_codes=["00"])
    log_in_as(app, user)
    return app


# --- #1 ------------------------------------------------------------------------------------


def test_a_stale_phone_never_blocks_saving_the_address(ui):
    SandboxCustomer.objects.filter(pk=5).update(phone=STALE_PHONE)
    page = ui.page
    ui.goto("/customers/5/edit/")

    expect(page.locator("#warning-phone")).to_contain_text(
        "The stored phone number no longer passes today's checks"
    )
    expect(page.get_by_label("Phone")).to_have_value(STALE_PHONE)
    ui.snap("warning")
    page.get_by_label("Address").fill("Ngong Road, Nairobi")
    page.get_by_role("button", name="Save", exact=True).click()

    page.wait_for_url(re.compile(r"/customers/5/$"))
    expect(page.locator(".messagelist")).to_contain_text("Saved: Address.")
    saved = SandboxCustomer.objects.get(pk=5)
    assert (saved.address, saved.phone) == ("Ngong Road, Nairobi", STALE_PHONE)


# --- #7 ------------------------------------------------------------------------------------


def test_a_clerk_adds_two_customers_in_a_row_in_their_branch(clerk_app):
    page = clerk_app.page
    clerk_app.goto("/customers/new/")

    expect(page.get_by_label("Branch")).to_have_value("00")
    expect(page.get_by_label("Customer number")).to_be_focused()
    page.keyboard.type("NEW-001")
    page.get_by_label("Customer name").fill("Kamau Hardware")
    page.get_by_role("button", name="Save and add another").click()

    page.wait_for_url(re.compile(r"/customers/new/\?branch_id=00$"))
    expect(page.locator(".messagelist")).to_contain_text("“Kamau Hardware” was added")
    expect(page.get_by_label("Branch")).to_have_value("00")
    # the branch's next number is suggested, so the name is the first thing to fill in
    expect(page.get_by_label("Customer number")).to_have_value("NEW-002")
    expect(page.get_by_label("Customer name")).to_be_focused()
    assert SandboxCustomer.objects.get(customer_no="NEW-001").branch_id == "00"


def test_save_and_continue_editing_comes_back_to_the_form(ui):
    page = ui.page
    ui.goto("/customers/5/edit/")
    expect(page.get_by_label("Branch")).to_be_focused()

    page.get_by_label("Email").fill("accounts@wafula.co.ke")
    page.get_by_role("button", name="Save and continue editing").click()

    page.wait_for_url(re.compile(r"/customers/5/edit/$"))
    expect(page.locator(".messagelist")).to_contain_text("Saved: Email.")
    expect(page.get_by_label("Email")).to_have_value("accounts@wafula.co.ke")
    # The Active checkbox sits in line with its label.
    box = page.get_by_label("Active").bounding_box()
    label = page.locator("label[for=id_is_active]").bounding_box()
    assert abs((box["y"] + box["height"] / 2) - (label["y"] + label["height"] / 2)) < 6
    assert label["x"] > box["x"] + box["width"] - 1


# --- #6 ------------------------------------------------------------------------------------


def test_a_reload_asks_first_then_puts_the_draft_back(ui):
    page = ui.page
    ui.goto("/customers/5/edit/")
    page.get_by_label("Address").fill("Half-typed address")
    page.get_by_label("Active").uncheck()

    asked = accept_leaving(ui)
    page.reload()

    assert asked == ["beforeunload"]
    expect(page.locator("#draft-notice")).to_be_visible()
    expect(page.locator("#draft-notice")).to_contain_text("were put back")
    expect(page.get_by_label("Address")).to_have_value("Half-typed address")
    expect(page.get_by_label("Active")).not_to_be_checked()
    ui.snap("draft-restored")

    page.get_by_role("button", name="Discard draft").click()
    expect(page.locator("#draft-notice")).to_be_hidden()
    expect(page.get_by_label("Active")).to_be_checked()
    assert drafts(page) == {}
    expect(page.get_by_label("Address")).not_to_have_value("Half-typed address")


def test_a_saved_form_leaves_no_draft(ui):
    page = ui.page
    ui.goto("/customers/5/edit/")
    page.get_by_label("Address").fill("Saved address")
    assert len(drafts(page)) == 1

    page.get_by_role("button", name="Save", exact=True).click()

    page.wait_for_url(re.compile(r"/customers/5/$"))
    expect(page.locator(".messagelist")).to_contain_text("Saved: Address.")
    assert drafts(page) == {}
    ui.goto("/customers/5/edit/")
    expect(page.locator("#draft-notice")).to_be_hidden()


def test_a_refused_save_keeps_the_draft(ui):
    page = ui.page
    ui.goto("/customers/new/")
    page.get_by_label("Customer name").fill("Only a name")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator("#errors-customer_no")).to_contain_text("This field is required.")
    expect(page.get_by_label("Branch")).to_be_focused()  # the first field with an error
    assert any("Only a name" in value for value in drafts(page).values())


def test_a_link_on_a_changed_form_asks_first_and_logout_drops_drafts(ui):
    page = ui.page
    ui.goto("/customers/new/")
    page.get_by_label("Customer name").fill("Wanjiru Traders")
    dialog = page.get_by_role("dialog", name="Leave this form?")

    page.get_by_role("link", name="Customers", exact=True).first.click()
    expect(dialog).to_be_visible()
    expect(page.get_by_role("button", name="Stay on the form")).to_be_focused()
    ui.snap("leave-dialog")
    page.keyboard.press("Enter")  # stay
    expect(dialog).to_be_hidden()
    assert page.url.endswith("/customers/new/")

    page.get_by_role("link", name="Customers", exact=True).first.click()
    page.get_by_role("button", name="Leave this page").click()
    page.wait_for_url(re.compile(r"/customers/$"))

    ui.goto("/customers/new/")  # coming back: the draft is still there
    expect(page.get_by_label("Customer name")).to_have_value("Wanjiru Traders")
    expect(page.locator("#draft-notice")).to_be_visible()

    asked = accept_leaving(ui)  # logging out of a changed form asks too: its draft goes
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(re.compile(r"/accounts/"))
    assert asked == ["beforeunload"]
    assert drafts(page) == {}


def test_an_unchanged_form_lets_links_go(ui):
    page = ui.page
    ui.goto("/customers/5/edit/")
    page.get_by_role("link", name="Cancel").click()
    page.wait_for_url(re.compile(r"/customers/5/$"))
    assert drafts(page) == {}
