"""Form tokens are issued by the server, signed with their time, and expire
(Hardening II #8); housekeeping settles writes left pending."""

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from customers import housekeeping, submissions
from customers.models import AuditEntry, FormSubmission

pytestmark = pytest.mark.usefixtures("branches")

TOO_OLD = "This form is too old: check it and send it again."
TYPED = {"branch_id": "00", "customer_no": "CUST003", "name": "XYZ Enterprises", "_save": "Save"}
FORGED = ["", "6d1f0c1e-3a7e-4a55-9d57-1f4b1c3f2a10", "6d1f0c1e3a7e4a559d571f4b1c3f2a10:1:x"]


def _told_too_old(response, html_of, form_id="customer-form"):
    assert response.status_code == 409
    html = html_of(response)
    assert TOO_OLD in html.text_of("content")
    fresh = html.form_data(form_id)["submission_token"]
    assert submissions.parse_token(fresh) is not None
    return html


@pytest.mark.parametrize("token", FORGED)
def test_a_create_with_a_token_the_server_did_not_issue_is_given_back(
    admin_client, upstream, html_of, token
):
    response = admin_client.post("/customers/new/", {**TYPED, "submission_token": token})

    html = _told_too_old(response, html_of)
    assert html.form_data("customer-form")["name"] == "XYZ Enterprises"  # nothing lost
    assert upstream.calls == []
    assert AuditEntry.objects.count() == FormSubmission.objects.count() == 0


def test_an_expired_form_is_given_back_and_sends_nothing(admin_client, upstream, html_of, settings):
    settings.CTAX_FORM_HOURS = 2
    form = html_of(admin_client.get("/customers/new/")).form_data("customer-form")

    with time_machine.travel(dt.timedelta(hours=2, minutes=1)):
        response = admin_client.post("/customers/new/", {**form, **TYPED})
        _told_too_old(response, html_of)

    assert upstream.calls == []


def test_a_form_sent_within_its_hours_is_saved(admin_client, upstream, html_of, settings):
    settings.CTAX_FORM_HOURS = 2
    upstream.create()
    form = html_of(admin_client.get("/customers/new/")).form_data("customer-form")

    with time_machine.travel(dt.timedelta(hours=1, minutes=59)):
        response = admin_client.post("/customers/new/", {**form, **TYPED})

    assert response.status_code == 302


def test_an_edit_with_a_forged_token_is_given_back(admin_client, upstream, html_of):
    upstream.detail(1)
    form = html_of(admin_client.get("/customers/1/edit/")).form_data("customer-form")
    form["submission_token"] = FORGED[1]

    response = admin_client.post("/customers/1/edit/", {**form, "address": "New, Westlands"})

    html = _told_too_old(response, html_of)
    assert html.form_data("customer-form")["address"] == "New, Westlands"
    assert upstream.calls_to("PUT", "customers/1") == []


def test_a_delete_with_an_expired_token_is_asked_again(admin_client, upstream, html_of, settings):
    settings.CTAX_FORM_HOURS = 2
    upstream.detail(1)
    page = html_of(admin_client.get("/customers/1/delete/"))
    token = page.find("input", name="submission_token").attrs["value"]

    with time_machine.travel(dt.timedelta(hours=3)):
        response = admin_client.post("/customers/1/delete/", {"submission_token": token})

    assert response.status_code == 409
    html = html_of(response)
    assert TOO_OLD in html.text_of("content")
    fresh = html.find("input", name="submission_token").attrs["value"]
    assert fresh != token and submissions.parse_token(fresh) is not None
    assert upstream.calls_to("DELETE", "customers/1") == []


# --- housekeeping ---------------------------------------------------------------------


def _pending(minutes_ago: int, token) -> AuditEntry:
    entry = AuditEntry.objects.create(
        username="clerk", action=AuditEntry.CREATE, outcome=AuditEntry.PENDING, token=token
    )
    when = timezone.now() - dt.timedelta(minutes=minutes_ago)
    AuditEntry.objects.filter(pk=entry.pk).update(created_at=when)
    FormSubmission.objects.filter(token=token).update(created_at=when)
    return entry


def test_writes_pending_for_15_minutes_become_unknown_and_free_their_form(
    admin_client, upstream, messages_of
):
    upstream.create()
    old, recent = submissions.new_token(), submissions.new_token()
    for token in (old, recent):
        FormSubmission.objects.create(token=submissions.parse_token(token))
    stale = _pending(16, submissions.parse_token(old))
    busy = _pending(5, submissions.parse_token(recent))
    before = admin_client.post("/customers/new/", {**TYPED, "submission_token": old})

    removed = housekeeping.sweep()

    stale.refresh_from_db()
    busy.refresh_from_db()
    assert removed.unfinished == 1
    assert (stale.outcome, busy.outcome) == (AuditEntry.UNKNOWN, AuditEntry.PENDING)
    assert stale.completed_at is not None and "stopped" in stale.error
    kept = FormSubmission.objects.values_list("token", flat=True)
    assert list(kept) == [submissions.parse_token(recent)]
    assert "already being saved" in messages_of(before)[-1]
    again = admin_client.post("/customers/new/", {**TYPED, "submission_token": old})
    assert again.status_code == 302 and again["Location"] == "/customers/3/"


def test_a_claim_left_without_an_audit_entry_is_freed_after_15_minutes():
    FormSubmission.objects.create(token=submissions.parse_token(submissions.new_token()))
    FormSubmission.objects.update(created_at=timezone.now() - dt.timedelta(minutes=16))

    housekeeping.sweep()

    assert FormSubmission.objects.count() == 0


def test_settled_tokens_are_kept_as_long_as_a_form_is_good(settings):
    settings.CTAX_FORM_HOURS = 12
    done = FormSubmission.objects.create(
        token=submissions.parse_token(submissions.new_token()), customer_id=3
    )
    FormSubmission.objects.update(created_at=timezone.now() - dt.timedelta(hours=11, minutes=59))

    housekeeping.sweep()
    assert list(FormSubmission.objects.all()) == [done]
    with time_machine.travel(dt.timedelta(minutes=2)):
        housekeeping.sweep()
    assert FormSubmission.objects.count() == 0


# --- the setting ----------------------------------------------------------------------


def test_the_old_setting_name_stops_the_app_from_starting():
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "DJANGO_DEBUG": "1"}
    code = "from django.conf import settings as s; print(s.CTAX_FORM_HOURS)"

    def run(**extra):
        return subprocess.run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
            cwd=Path(__file__).resolve().parents[2],
            env={**env, **extra},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    old = run(CTAX_FORM_TOKEN_HOURS="24")
    default = run()

    assert old.returncode != 0
    assert "CTAX_FORM_TOKEN_HOURS was replaced by CTAX_FORM_HOURS" in old.stderr
    assert default.returncode == 0 and default.stdout.strip().splitlines()[-1] == "12.0"
