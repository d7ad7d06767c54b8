"""The upstream failing: a clear message with "Try again", and the list back once it recovers."""

import re

from playwright.sync_api import expect

from sandbox import faults


def test_list_when_the_upstream_is_down_then_try_again(ui):
    page = ui.page
    ui.expect_failed_responses(503)  # Chromium logs a 503 answer as a console error
    faults.set_faults(status=503)

    response = ui.goto("/customers/?status=active")
    assert response.status == 503
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "The customer service could not answer"
    )
    alert = page.get_by_role("alert")
    expect(alert).to_be_visible()
    message = alert.locator(".upstream-error-message")
    expect(message).to_contain_text(re.compile(r"try again", re.IGNORECASE))
    assert "Traceback" not in page.content()
    retry = alert.get_by_role("link", name="Try again")
    expect(retry).to_have_attribute("href", "/customers/?status=active")
    failed_message = message.text_content()
    ui.snap("down")

    # Still down: trying again gives the same clear page.
    with page.expect_navigation() as navigation:
        retry.click()
    assert navigation.value.status == 503
    expect(page.get_by_role("alert").locator(".upstream-error-message")).to_have_text(
        failed_message
    )

    faults.clear_faults()
    page.get_by_role("link", name="Try again").click()
    page.wait_for_url(re.compile(r"/customers/\?status=active$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Customers")
    expect(page.locator("#result-count")).to_contain_text("55 customers match your filters")
    expect(page.get_by_role("alert")).to_have_count(0)


def test_htmx_update_when_the_upstream_is_down_then_try_again(ui):
    """A filter change while the upstream is down: the notice replaces only the results."""
    page = ui.page
    ui.expect_failed_responses(503)  # and htmx logs the error answer it swaps in on purpose
    page.evaluate("window.__noReload = true")
    faults.set_faults(status=503)

    page.get_by_label("Status", exact=True).select_option("inactive")
    results = page.locator("#results")
    notice = results.get_by_role("alert")
    expect(notice).to_be_visible()
    expect(notice.locator(".upstream-error-message")).to_contain_text(
        re.compile(r"try again", re.IGNORECASE)
    )
    expect(page.get_by_label("Status", exact=True)).to_have_value("inactive")
    assert page.evaluate("window.__noReload === true")
    ui.snap("down")

    faults.clear_faults()
    notice.get_by_role("link", name="Try again").click()
    page.wait_for_url(re.compile(r"status=inactive\b"))
    expect(page.locator("#result-count")).to_contain_text("3 customers match your filters")
