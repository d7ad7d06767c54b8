"""The browser tests' own watch (conftest.App): a Content-Security-Policy violation or an
uncaught script error on any page is a problem that fails the test, whatever the test
allows of expected error answers."""

from playwright.sync_api import expect

from tests.browser.conftest import App

BREAK_THE_CSP = """() => new Promise((resolve) => {
    document.addEventListener("securitypolicyviolation", () => resolve(), { once: true });
    const probe = document.createElement("p");
    probe.setAttribute("style", "color: red");  // an inline style: style-src 'self' refuses it
    document.body.append(probe);
})"""


def _taken(app: App) -> list[str]:
    """The problems so far, cleared (this test makes them on purpose)."""
    app.page.evaluate("() => 1")  # the page's reports reach the test before this answer
    problems = app.problems()
    for found in (app.csp_violations, app.console_errors, app.page_errors, app.dialogs):
        found.clear()
    return problems


def test_a_csp_violation_is_a_problem_even_where_error_answers_are_expected(ui):
    ui.expect_failed_responses(403, 404, 503)
    ui.page.evaluate(BREAK_THE_CSP)

    problems = _taken(ui)
    assert any(p.startswith("CSP violation: style-src-attr refused inline") for p in problems)
    assert any(p.startswith("console error: ") and "Content Security Policy" in p for p in problems)


def test_an_uncaught_script_error_on_another_page_is_a_problem(ui):
    other = ui.page.context.new_page()  # any page of the context is watched
    other.goto(ui.url("/customers/"))
    expect(other.get_by_role("heading", name="Customers", level=1)).to_be_visible()
    with other.expect_event("pageerror"):
        other.evaluate("() => { setTimeout(() => { throw new Error('boom at the counter'); }); }")
    other.evaluate(BREAK_THE_CSP)
    other.close()

    problems = _taken(ui)
    assert "page error: boom at the counter" in problems
    assert any(p.startswith("CSP violation: style-src-attr") for p in problems)
