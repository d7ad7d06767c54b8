"""axe-core on the main screens, in the light and the dark colour scheme.

Violations of impact "serious" or "critical" fail the test; all of them are listed.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.axe_checks import blocking_violations


@pytest.fixture(params=["light", "dark"])
def browser_context_args(browser_context_args, request):
    """Every page of these tests in one colour scheme (the admin's theme follows it)."""
    return {**browser_context_args, "color_scheme": request.param}


def test_axe_on_login_list_detail_and_form(app, browser_context_args):
    page = app.page
    scheme = browser_context_args["color_scheme"]
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
    violations = []

    app.goto("/accounts/login/")
    violations += blocking_violations(page, "login")
    app.login()

    violations += blocking_violations(page, "list")

    app.goto("/customers/1/")
    expect(page.locator("#history table.transactions")).to_be_visible()
    violations += blocking_violations(page, "detail")

    app.goto("/customers/new/")
    # With a live-checked error shown, as users will see it.
    page.get_by_label("TIN", exact=True).fill("bad")
    page.keyboard.press("Tab")
    expect(page.locator("#errors-tin")).not_to_be_empty()
    violations += blocking_violations(page, "create form")

    # The quick search's popup, open with an option highlighted.
    page.get_by_role("combobox", name="Search customers").click()
    page.keyboard.type("Ltd")
    expect(page.get_by_role("listbox")).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("combobox", name="Search customers")).to_have_attribute(
        "aria-activedescendant", "quick-search-option-1"
    )
    violations += blocking_violations(page, "quick search open")

    assert not violations, f"axe ({scheme}): serious/critical violations:\n" + "\n".join(violations)


def test_axe_on_the_other_screens(app, browser_context_args):
    """History page, edit form, delete confirmation, not found, upstream failure,
    password change: the rest of what a user can reach."""
    from sandbox import faults

    page = app.page
    scheme = browser_context_args["color_scheme"]
    # The not-found and failure pages are meant to answer 404 and 503.
    app.expect_failed_responses(404, 503)
    app.login()
    violations = []
    for path, label in [
        ("/customers/1/transactions/?type=sales", "history page"),
        ("/customers/1/edit/", "edit form"),
        ("/customers/1/delete/", "delete confirmation"),
        ("/customers/999999/", "not found"),
        ("/accounts/password_change/", "password change"),
    ]:
        app.goto(path)
        violations += blocking_violations(page, label)
    faults.set_faults(status=503)
    try:
        app.goto("/customers/")
        expect(page.get_by_text("not answering right now")).to_be_visible()
        violations += blocking_violations(page, "upstream failure")
    finally:
        faults.clear_faults()

    assert not violations, f"axe ({scheme}): serious/critical violations:\n" + "\n".join(violations)
