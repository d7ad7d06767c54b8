"""Issue "A second day at the counter" #3 in Chromium: the suggested customer number
follows the branch chosen, and warnings given as a field is left survive a refused Save;
axe in light and dark on that form."""

from playwright.sync_api import expect

from customers.models import AuditEntry
from sandbox.models import SandboxCustomer
from tests.browser.axe_checks import blocking_violations_in_both_schemes


def _created(number, branch_id):
    AuditEntry.objects.create(
        username="root",
        action=AuditEntry.CREATE,
        customer_no=number,
        branch_id=branch_id,
        outcome=AuditEntry.SUCCESS,
    )


def test_the_number_follows_the_branch_and_warnings_survive_a_refused_save(ui):
    page = ui.page
    _created("CUST0321", "00")
    _created("B01-0007", "01")
    holder = SandboxCustomer.objects.filter(phone__startswith="+2547").order_by("pk").first()
    ui.goto("/customers/new/")
    number = page.get_by_label("Customer number")
    hint = page.locator("#help-customer_no")
    expect(number).to_have_value("")

    page.get_by_label("Branch").select_option("00")
    expect(number).to_have_value("CUST0322")
    expect(hint).to_contain_text("CUST0321")
    page.get_by_label("Branch").select_option("01")
    expect(number).to_have_value("B01-0008")
    expect(hint).to_contain_text("B01-0007")
    number.fill("MY-1")
    page.get_by_label("Branch").select_option("00")
    expect(hint).to_contain_text("CUST0321")
    expect(number).to_have_value("MY-1")  # what the clerk typed is never overwritten

    page.get_by_label("Phone").fill("0" + holder.phone[4:])
    page.keyboard.press("Tab")
    warning = page.locator("#errors-phone")
    expect(warning).to_contain_text("already has this phone number")
    page.get_by_role("button", name="Save", exact=True).click()  # no name: refused

    expect(page.locator("#errors-name")).to_contain_text("This field is required.")
    expect(warning).to_contain_text(f"{holder.name} ({holder.customer_no})")
    expect(warning).to_contain_text("already has this phone number")
    expect(number).to_have_value("MY-1")
    violations = blocking_violations_in_both_schemes(page, "create form refused, warning kept")
    assert not violations, "\n".join(violations)
