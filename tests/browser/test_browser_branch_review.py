"""The branch review in Chromium: a manager of branch 00 presses Refresh, watches the
progress bar move while a worker runs the job, and the sections fill; axe in light and
dark on every state (each flow runs once, each state is judged in both schemes)."""

import re
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from customers.jobs import Job
from tests.browser.axe_checks import (
    blocking_violations,
    blocking_violations_in_both_schemes,
    each_scheme,
)
from tests.browser.form_helpers import log_in_as
from tests.browser.htmx_waits import settled
from tests.jobs_helpers import start_worker_thread
from tests.review_helpers import restore_roles
from tests.role_users import make_user

HEADINGS = [
    "The branch at a glance",
    "Sales and purchases per month",
    "Top customers by sales",
    "Dormant",
    "Business without a TIN",
    "TIN or phone to fix",
    "Possible duplicates",
    "Changes made here",
]

# A wait for the test, bounded: the page's checks of the progress take about a second.
HOLD_SECONDS = 60


@pytest.fixture
def saving_held(monkeypatch):
    """The refresh job, its reading done, waits to save the review until the test sets
    this event: the page (which reloads once the job is over) cannot reload while the
    test still judges the progress state, however slow the machine."""
    from customers.review import snapshot

    release = threading.Event()
    replace = snapshot.replace

    def held_replace(**kwargs):
        release.wait(HOLD_SECONDS)
        return replace(**kwargs)

    monkeypatch.setattr(snapshot, "replace", held_replace)
    yield release
    release.set()


def test_refresh_shows_progress_then_the_sections(app, settings, django_user_model, saving_held):
    # About two seconds of reading (~115 calls): the bar moves while the page polls.
    settings.CTAX_BACKGROUND_CALLS_PER_SECOND = 50
    restore_roles()
    manager = make_user(django_user_model, "manager00", role="Branch manager", branch_codes=["00"])
    log_in_as(app, manager)
    page = app.page

    app.goto("/branches/00/review/")
    expect(page.get_by_text("No review of this branch yet")).to_be_visible()
    violations = blocking_violations_in_both_schemes(page, "empty review")

    page.get_by_role("button", name="Refresh").click()
    expect(page.get_by_text("Refresh waiting for a worker")).to_be_visible()
    assert Job.objects.get().state == Job.QUEUED
    worker = start_worker_thread()
    expect(page.get_by_text(re.compile(r"Reading customers: [1-9]\d* of \d+"))).to_be_visible()
    bar = page.get_by_role("progressbar", name=re.compile("Reading customers"))
    expect(bar).to_be_visible()
    for scheme in each_scheme(page):
        app.snap(f"progress-{scheme}")
        violations += blocking_violations(page, f"progress, {scheme}")
    saving_held.set()

    expect(page.get_by_text(re.compile(r"Figures as of \d\d:\d\d today"))).to_be_visible(
        timeout=30_000
    )
    worker.join(timeout=10)
    for heading in HEADINGS:
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.get_by_role("progressbar")).to_have_count(0)
    customers = page.locator('[data-figure="customers"]')
    expect(customers).to_have_text(str(Job.objects.get().total))
    violations += blocking_violations_in_both_schemes(page, "filled review")

    assert not violations, "axe:\n" + "\n".join(violations)


def test_xlsx_export_runs_in_the_background_then_downloads(app, django_user_model):
    import io

    from openpyxl import load_workbook

    restore_roles()
    manager = make_user(django_user_model, "manager00", role="Branch manager", branch_codes=["00"])
    log_in_as(app, manager)
    page = app.page
    app.goto("/customers/?branch_id=00")
    page.get_by_role("button", name="Export XLSX").click()
    page.wait_for_url(re.compile(r"/exports/[0-9a-f-]+/$"))
    expect(page.get_by_text("Export waiting for a worker")).to_be_visible()
    violations = blocking_violations_in_both_schemes(page, "export waiting")
    start_worker_thread().join(timeout=30)
    link = page.get_by_role("link", name=re.compile(r"Download customers-branch-00-.*\.xlsx"))
    expect(link).to_be_visible()
    violations += blocking_violations_in_both_schemes(page, "export ready")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as saved:  # a temporary name, without the extension
        sheet = load_workbook(io.BytesIO(saved.read())).active
    assert next(sheet.iter_rows(max_row=1, values_only=True))[:2] == ("Customer number", "Name")
    assert sheet.max_row > 1
    assert not violations, "axe:\n" + "\n".join(violations)


def test_keyboard_only_at_768_px_refresh_then_axe(app, settings, django_user_model):
    """Tab to Refresh and press Enter; the filled review at 768 px passes axe (light and
    dark), and no part of it makes the page scroll sideways."""
    settings.CTAX_BACKGROUND_CALLS_PER_SECOND = 500
    restore_roles()
    manager = make_user(django_user_model, "manager00", role="Branch manager", branch_codes=["00"])
    log_in_as(app, manager)
    page = app.page
    page.set_viewport_size({"width": 768, "height": 1000})
    app.goto("/branches/00/review/")
    refresh = page.get_by_role("button", name="Refresh")
    for _ in range(40):
        page.keyboard.press("Tab")
        if refresh.evaluate("(el) => el === document.activeElement"):
            break
    expect(refresh).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Refresh waiting for a worker")).to_be_visible()
    start_worker_thread().join(timeout=30)
    expect(page.get_by_text(re.compile(r"Figures as of \d\d:\d\d today"))).to_be_visible(
        timeout=15_000
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    # The year-on-year table is wider than the screen: it says it scrolls, as the list does.
    expect(page.locator("#review-months-scroll-hint")).to_be_visible()
    # The sales amount stays on one line, as tall as the other figures.
    heights = page.locator(".review-cards .card-value").evaluate_all(
        "(els) => els.map((el) => el.getBoundingClientRect().height)"
    )
    assert max(heights) == min(heights), heights
    violations = blocking_violations_in_both_schemes(page, "filled review at 768 px")
    assert not violations, "axe:\n" + "\n".join(violations)


def test_a_date_typed_in_the_changes_filter_is_sent_once_whole(ui):
    """Typing 01012026 makes the browser's date valid at year 0002, 0020, 0202: only
    2026-01-01 is sent (as the history's date filters do)."""
    page = ui.page
    sent = []
    page.on("request", lambda r: sent.append(r.url) if "from_date=" in r.url else None)
    ui.goto("/branches/00/review/")
    field = page.locator("#changes").get_by_label("From", exact=True)
    field.focus()
    page.keyboard.type("01012026")
    page.wait_for_url(re.compile(r"from_date=2026-01-01"))
    settled(page)
    expect(field).to_have_value("2026-01-01")
    assert [parse_qs(urlsplit(url).query)["from_date"][0] for url in sent] == ["2026-01-01"]
