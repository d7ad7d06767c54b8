"""axe-core on the form's states and the pages around writes, in light and dark.

Edit form with a stale-value warning and a restored draft, the "Leave this form?" dialog,
the create form with a held TIN named and a taken number refused, the deleted customer's
page, the 403 page. Violations of impact "serious" or "critical" fail the test.
"""

import re

from playwright.sync_api import expect

from sandbox.models import SandboxCustomer
from tests.browser.axe_checks import blocking_violations_in_both_schemes
from tests.browser.form_helpers import STALE_PHONE, accept_leaving, log_in_as, restore_roles
from tests.role_users import make_user


def test_axe_on_the_form_states(ui):
    page = ui.page
    SandboxCustomer.objects.filter(pk=5).update(phone=STALE_PHONE)
    holder = SandboxCustomer.objects.exclude(tin="").order_by("pk").first()
    found = []

    ui.goto("/customers/5/edit/")
    expect(page.locator("#warning-phone")).to_be_visible()
    page.get_by_label("Address").fill("Draft address")
    asked = accept_leaving(ui)
    page.reload()
    assert asked == ["beforeunload"]
    expect(page.locator("#draft-notice")).to_be_visible()
    found += blocking_violations_in_both_schemes(page, "edit form, stale warning, restored draft")

    page.get_by_role("link", name="Customers", exact=True).first.click()
    expect(page.get_by_role("dialog", name="Leave this form?")).to_be_visible()
    found += blocking_violations_in_both_schemes(page, "leave dialog")
    page.get_by_role("button", name="Stay on the form").click()
    page.get_by_role("button", name="Discard draft").click()

    ui.goto("/customers/new/")
    page.get_by_label("TIN", exact=True).fill(holder.tin)
    page.keyboard.press("Tab")
    expect(page.locator("#errors-tin")).to_contain_text("already has this TIN")
    page.get_by_label("Branch").select_option(holder.branch_id)
    page.get_by_label("Customer number").fill(holder.customer_no)
    page.get_by_label("Customer name").fill(holder.name)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#errors-customer_no")).to_contain_text("is already taken by")
    found += blocking_violations_in_both_schemes(page, "create form, held TIN and taken number")

    assert not found, "axe:\n" + "\n".join(found)


def test_axe_on_deleted_and_refused_pages(ui, django_user_model):
    page = ui.page
    ui.expect_failed_responses(403, 404)
    found = []

    ui.goto("/customers/3/delete/")
    page.get_by_role("button", name="Yes, delete").click()
    page.wait_for_url(re.compile(r"/customers/(\?.*)?$"))
    ui.goto("/customers/3/")
    expect(page.get_by_role("heading", name="Customer deleted", level=1)).to_be_visible()
    expect(page.locator(".deleted-customer")).to_contain_text("was deleted by root")
    found += blocking_violations_in_both_schemes(page, "deleted customer")

    restore_roles()
    page.context.clear_cookies()
    log_in_as(ui, make_user(django_user_model, "clerk01", role="Office staff", branch_codes=["01"]))
    ui.goto("/customers/5/delete/")
    expect(page.locator("#content")).to_contain_text(
        "You don't have permission to delete customers."
    )
    found += blocking_violations_in_both_schemes(page, "403")

    assert not found, "axe:\n" + "\n".join(found)
