"""Browser tests: Chromium (pytest-playwright) against live_server and its own sandbox API.

Every test gets a freshly seeded sandbox (60 customers: ~0.2 s) and the local branch
registry, a superuser, and an `app` helper that records, for every page of its browser
context, console errors, uncaught script errors, Content-Security-Policy violations (a
`securitypolicyviolation` listener in every document) and dialogs. At teardown any
recorded problem fails the test. The one allowance: a fault test expecting an error answer
names its status (`app.expect_failed_responses(503)`), which lets Chromium's and htmx's
report of that status through, never a CSP report.

A failed test (or one failing on such a problem) leaves its final page, full page, in
artifacts/screenshots/<test-name>.png for diagnosis; a passing one leaves only the states
it names with `app.snap()`.

`app.login()` logs in through the real login form (test_browser_login.py, the
accessibility tests). live_server tests flush the database after each test, so a browser
storage state cannot outlive one; `ui` instead hands the browser a session cookie made
in-process (as the test client's force_login does), which saves a login round trip per test.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Page, expect

from customers.demo import sync_branches_from_sandbox
from sandbox import faults

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
PASSWORD = "pw-root-123"  # tests/conftest.py's superuser
SEED_CUSTOMERS = 60  # the seed's minimum: 58 live customers, 3 list pages of 25
# A CSP violation, as Chromium logs it: never allowed, whatever a test expects.
CSP_MESSAGE = re.compile(r"Content[- ]Security[- ]Policy|Refused to", re.IGNORECASE)
# Every document reports its CSP violations to the test (the binding below).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__ctaxCspViolation?.(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"}`
    + ` (${event.sourceFile || document.location.href}:${event.lineNumber})`);
});
"""

expect.set_options(timeout=10_000)

# Each phase's report (setup, call) on its test item, for fixtures to read at teardown.
PHASE_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    item.stash.setdefault(PHASE_REPORTS, {})[report.when] = report
    return report


def failed_so_far(node) -> bool:
    """Whether a phase of this test has failed (read at teardown)."""
    return any(report.failed for report in node.stash.get(PHASE_REPORTS, {}).values())


@pytest.fixture
def seeded(sandbox_api, monkeypatch):
    """The sandbox filled with the deterministic seed, local branches in step with it."""
    monkeypatch.delenv("CTAX_SANDBOX_LATENCY_MS", raising=False)
    call_command("seed_sandbox", "--customers", str(SEED_CUSTOMERS), stdout=io.StringIO())
    sync_branches_from_sandbox()
    faults.clear_faults()
    yield sandbox_api
    faults.clear_faults()


@dataclass
class App:
    """One browser page on the live server, with what went wrong in it."""

    page: Page
    base_url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    allowed_console: list[re.Pattern] = field(default_factory=list)
    username: str = "root"
    password: str = PASSWORD
    screenshot_name: str = "screenshot"
    csp_violations: list[str] = field(default_factory=list)
    _contexts: list = field(default_factory=list)

    def watch(self, page: Page) -> Page:
        """Record the problems of every page of `page`'s browser context (once a context).

        Dialogs are answered per page (`page.remove_listener("dialog", app._on_dialog)`
        lets a test answer one itself, see form_helpers.accept_leaving)."""
        context = page.context
        if context in self._contexts:
            return page
        self._contexts.append(context)
        context.expose_binding(
            "__ctaxCspViolation", lambda _source, report: self.csp_violations.append(report)
        )
        context.add_init_script(CSP_LISTENER)
        context.on("console", self._on_console)
        context.on("weberror", lambda error: self.page_errors.append(str(error.error)))
        for each in context.pages:
            each.on("dialog", self._on_dialog)
        context.on("page", lambda new: new.on("dialog", self._on_dialog))
        return page

    def expect_failed_responses(self, *statuses: int) -> None:
        """A fault test's expected error answers: Chromium's "Failed to load resource"
        and htmx's "Response Status Error Code" for these statuses are not problems."""
        codes = "|".join(str(status) for status in statuses)
        self.allowed_console += [
            re.compile(
                rf"^Failed to load resource: the server responded with a status of ({codes})\b"
            ),  # noqa: E501
            re.compile(rf"^Response Status Error Code ({codes}) from "),
        ]

    def _on_console(self, message) -> None:
        if message.type != "error":
            return
        text = message.text
        if not CSP_MESSAGE.search(text) and any(p.search(text) for p in self.allowed_console):
            return
        self.console_errors.append(f"{text} ({message.location.get('url', '')})")

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def goto(self, path: str):
        return self.page.goto(self.url(path))  # waits for the load event

    def login(self) -> None:
        """Log in through the real login form, then land on the customer list."""
        self.goto("/accounts/login/")
        self.page.get_by_label("Username").fill(self.username)
        self.page.get_by_label("Password").fill(self.password)
        self.page.get_by_role("button", name="Log in").click()
        self.page.wait_for_url(re.compile(r"/customers/$"))
        expect(self.page.get_by_role("heading", name="Customers", level=1)).to_be_visible()

    def snap(self, state: str) -> None:
        """Save a full-page screenshot of a state on the way: <test-name>--<state>.png."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(
            path=SCREENSHOTS / f"{self.screenshot_name}--{state}.png", full_page=True
        )

    def problems(self) -> list[str]:
        return (
            [f"CSP violation: {m}" for m in self.csp_violations]
            + [f"console error: {m}" for m in self.console_errors]
            + [f"page error: {m}" for m in self.page_errors]
            + [f"dialog: {m}" for m in self.dialogs]
        )

    def assert_clean(self) -> None:
        problems = self.problems()
        assert not problems, "The browser reported problems:\n" + "\n".join(problems)


def _screenshot_name(node) -> str:
    """test_name, or test_name-param; the browser name is left out."""
    callspec = getattr(node, "callspec", None)
    params = [p for p in (callspec.id.split("-") if callspec else []) if p != "chromium"]
    name = "-".join([node.originalname, *params])
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")


@pytest.fixture
def app(seeded, superuser, page: Page, request):
    """The app in Chromium, not yet logged in. Error check at teardown, and a screenshot
    of the final page when the test failed."""
    page.set_default_timeout(10_000)
    helper = App(page=page, base_url=seeded.url, screenshot_name=_screenshot_name(request.node))
    helper.watch(page)
    yield helper
    if failed_so_far(request.node) or helper.problems():
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        try:
            helper.page.screenshot(
                path=SCREENSHOTS / f"{helper.screenshot_name}.png", full_page=True
            )
        finally:
            helper.assert_clean()


@pytest.fixture
def ui(app, superuser):
    """The app in Chromium, logged in as the superuser, on the customer list."""
    client = Client()
    client.force_login(superuser)
    name = settings.SESSION_COOKIE_NAME
    app.page.context.add_cookies(
        [{"name": name, "value": client.cookies[name].value, "url": app.base_url}]
    )
    app.goto("/customers/")
    expect(app.page.get_by_role("heading", name="Customers", level=1)).to_be_visible()
    return app
