"""customers.services: form token → audit (before the write) → upstream write → outcome.

Against the fake upstream of conftest.py; the forms' pages are in test_create/test_edit.
"""

import dataclasses
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError

from customers import services, submissions
from customers.models import AuditEntry, FormSubmission
from customers.services import Result
from customers.upstream import door, errors, types
from tests.role_users import make_user

pytestmark = pytest.mark.usefixtures("branches")

VALUES = {
    "branch_id": "00",
    "customer_no": "CUST003",
    "name": "XYZ Enterprises",
    "tin": "P000789012Y",
    "phone": "+254733345678",
    "email": "",
    "address": "",
}


def key(token: str):
    """The key a signed form token stands for (what the database keeps)."""
    return submissions.parse_token(token)


@pytest.fixture
def clerk(django_user_model):
    return make_user(django_user_model, "clerk00", role="Office staff", branch_codes=["00"])


@pytest.fixture
def manager(django_user_model):
    return make_user(django_user_model, "manager00", role="Branch manager", branch_codes=["00"])


@pytest.fixture
def row():
    """A customer as the list shows it (what the list's bulk action hands over)."""
    return types.CustomerSummary(
        id=1,
        customer_no="CUST001",
        name="ABC Trading Ltd",
        tin="P000123456X",
        phone="+254712345678",
        email=None,
        address=None,
        branch_id="00",
        is_active=True,
        total_transactions=45,
        created_at=None,
    )


@pytest.fixture
def audit_down(monkeypatch):
    """The audit table refuses inserts (database busy or down)."""

    def refuse(*args, **kwargs):
        raise DatabaseError("database is locked")

    monkeypatch.setattr(AuditEntry.objects, "create", refuse)


def test_the_attempt_is_recorded_pending_before_the_upstream_write(clerk, upstream):
    seen = []

    def answer(request):  # what the audit trail holds while the upstream is writing
        seen.append(list(AuditEntry.objects.values_list("outcome", "customer_no")))
        body = {
            "status": "success",
            "data": {"id": 3, "customer_no": "CUST003", "name": "XYZ Enterprises"},
            "meta": {"request_id": "req_1"},
        }
        return 201, {}, json.dumps({**body, "data": {**body["data"], "branch_id": "00"}})

    upstream.rsps.add_callback("POST", upstream.url("customers"), callback=answer)
    token = submissions.new_token()

    outcome = services.create_customer(user=clerk, token=token, values=VALUES)

    assert seen == [[(AuditEntry.PENDING, "CUST003")]]
    assert outcome.result is Result.SAVED and outcome.ok
    assert outcome.customer_id == 3
    entry = AuditEntry.objects.get()
    assert (entry.outcome, entry.customer_id, entry.request_id, entry.token) == (
        AuditEntry.SUCCESS,
        3,
        "req_1",
        key(token),
    )
    assert entry.completed_at is not None
    assert FormSubmission.objects.get(token=key(token)).customer_id == 3


def test_no_upstream_write_when_the_attempt_cannot_be_recorded(clerk, upstream, audit_down):
    token = submissions.new_token()

    outcome = services.create_customer(user=clerk, token=token, values=VALUES)

    assert outcome.result is Result.NOT_RECORDED
    assert not outcome.ok
    assert upstream.calls == []
    assert not FormSubmission.objects.filter(token=key(token)).exists()  # the form can be resent


def test_the_page_keeps_the_form_when_the_audit_cannot_be_recorded(
    admin_client, upstream, audit_down, html_of
):
    token = submissions.new_token()
    typed = {**VALUES, "submission_token": token, "_save": "Save"}

    response = admin_client.post("/customers/new/", typed)

    assert response.status_code == 503
    html = html_of(response)
    form = html.find("form", id="customer-form")
    message = " ".join(html.find("p", class_="upstream-error-message", within=form).text.split())
    assert "could not record this change in its audit trail" in message
    assert "Nothing was saved; your input is still here." in message
    kept = html.form_data("customer-form")
    assert {k: kept[k] for k in VALUES} == VALUES
    assert kept["submission_token"] == token
    assert upstream.calls == []
    assert not FormSubmission.objects.filter(token=key(token)).exists()


def test_an_edit_is_not_sent_when_the_audit_cannot_be_recorded(
    admin_client, upstream, audit_down, html_of
):
    upstream.detail(1)
    data = html_of(admin_client.get("/customers/1/edit/")).form_data("customer-form")

    response = admin_client.post("/customers/1/edit/", {**data, "address": "New, Westlands"})

    assert response.status_code == 503
    assert html_of(response).form_data("customer-form")["address"] == "New, Westlands"
    assert upstream.calls_to("PUT", "customers/1") == []


def test_a_delete_is_not_sent_when_the_audit_cannot_be_recorded(admin_client, upstream, audit_down):
    upstream.detail(1)

    response = admin_client.post(
        "/customers/1/delete/", {"submission_token": submissions.new_token()}
    )

    assert response.status_code == 503
    assert "could not record this change" in response.content.decode()
    assert upstream.calls_to("DELETE", "customers/1") == []


def test_upstream_strings_are_cut_to_their_columns(clerk, upstream):
    long_id = "req_" + "x" * 300
    upstream.on(
        "POST",
        "customers",
        status=201,
        json={
            "status": "success",
            "data": {
                "id": 3,
                "customer_no": "N" * 80,
                "name": "XYZ Enterprises",
                "branch_id": "00",
                "is_active": True,
            },
            "meta": {"request_id": long_id},
        },
    )

    outcome = services.create_customer(user=clerk, values=VALUES)

    assert outcome.result is Result.SAVED
    entry = AuditEntry.objects.get()
    assert entry.request_id == long_id[:100]
    assert entry.customer_no == "N" * 50


def test_an_overlong_request_id_on_a_failure_is_cut_too(clerk, upstream):
    upstream.on(
        "POST",
        "customers",
        status=503,
        json={"status": "error", "message": "down", "meta": {"request_id": "r" * 500}},
        headers={"X-Request-Id": "r" * 500},
    )

    outcome = services.create_customer(user=clerk, values={**VALUES, "branch_id": "00"})

    assert outcome.result is Result.REFUSED
    entry = AuditEntry.objects.get()
    assert len(entry.request_id) <= 100
    assert entry.outcome == AuditEntry.UNKNOWN  # a 503 to a write: it may have happened


def test_an_overlong_request_id_gives_no_500_on_the_page(admin_client, upstream):
    upstream.create()
    upstream.rsps.replace(
        "POST",
        upstream.url("customers"),
        status=201,
        json={
            "status": "success",
            "data": {"id": 3, "customer_no": "CUST003", "name": "XYZ", "branch_id": "00"},
            "meta": {"request_id": "q" * 1000},
        },
    )

    response = admin_client.post(
        "/customers/new/", {**VALUES, "submission_token": submissions.new_token(), "_save": "Save"}
    )

    assert response.status_code == 302
    assert AuditEntry.objects.get().request_id == "q" * 100


def test_a_failed_write_releases_the_token_and_is_audited(clerk, upstream):
    upstream.invalid("POST", "customers", errors={"tin": ["The tin format is invalid."]})
    token = submissions.new_token()

    outcome = services.create_customer(user=clerk, token=token, values=VALUES)

    assert outcome.result is Result.REFUSED
    assert isinstance(outcome.error, errors.ValidationFailed)
    assert not outcome.number_taken
    assert not FormSubmission.objects.filter(token=key(token)).exists()
    entry = AuditEntry.objects.get()
    assert entry.outcome == AuditEntry.FAILURE
    assert "The tin format is invalid." in entry.error


def test_a_crash_during_the_write_releases_the_token(clerk, upstream, monkeypatch):
    def crash(**kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(door.get_client(), "create_customer", crash)
    token = submissions.new_token()

    with pytest.raises(RuntimeError):
        services.create_customer(user=clerk, token=token, values=VALUES)

    assert not FormSubmission.objects.filter(token=key(token)).exists()
    assert AuditEntry.objects.get().outcome == AuditEntry.UNKNOWN


def test_a_completion_that_cannot_be_saved_leaves_the_write_standing(clerk, upstream, monkeypatch):
    upstream.create()

    insert_or_update = AuditEntry.save

    def refuse_updates(self, *args, **kwargs):
        if kwargs.get("update_fields"):
            raise DatabaseError("disk full")
        return insert_or_update(self, *args, **kwargs)

    monkeypatch.setattr(AuditEntry, "save", refuse_updates)

    outcome = services.create_customer(user=clerk, token=submissions.new_token(), values=VALUES)

    assert outcome.result is Result.SAVED
    assert AuditEntry.objects.get().outcome == AuditEntry.PENDING  # honest: never completed


def test_the_same_token_twice_writes_once(clerk, upstream):
    upstream.create()
    token = submissions.new_token()

    first = services.create_customer(user=clerk, token=token, values=VALUES)
    second = services.create_customer(user=clerk, token=token, values=VALUES)

    assert first.result is Result.SAVED
    assert second.result is Result.ALREADY_SENT
    assert second.customer_id == 3
    assert len(upstream.calls_to("POST", "customers")) == 1
    assert AuditEntry.objects.count() == 1


# --- the bulk action's call: update_customer(user=, customer=, changes=, token=None) ------


def test_update_from_a_list_row_sends_only_the_changes(clerk, upstream, row):
    upstream.update(1, is_active=False)

    outcome = services.update_customer(user=clerk, customer=row, changes={"is_active": False})

    assert outcome.result is Result.SAVED
    assert [upstream.json_body(r) for r in upstream.calls] == [{"is_active": False}]
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.customer_id, entry.branch_id) == (AuditEntry.UPDATE, 1, "00")
    assert entry.changes == {"is_active": [True, False]}


def test_update_with_no_changes_sends_nothing(clerk, upstream, row):
    outcome = services.update_customer(user=clerk, customer=row, changes={})

    assert outcome.result is Result.UNCHANGED and outcome.ok
    assert upstream.calls == []
    assert AuditEntry.objects.count() == 0


def test_another_branch_is_not_found_and_nothing_is_audited(clerk, upstream, row):
    other = dataclasses.replace(row, branch_id="01")

    with pytest.raises(errors.NotFound):
        services.update_customer(user=clerk, customer=other, changes={"is_active": False})
    with pytest.raises(errors.NotFound):
        services.delete_customer(user=make_manager_of("00"), customer=other)

    assert upstream.calls == []
    assert AuditEntry.objects.count() == 0


def test_permissions_are_checked_with_what_was_refused(clerk, upstream, row):
    with pytest.raises(PermissionDenied, match="You don't have permission to delete customers."):
        services.delete_customer(user=clerk, customer=row)
    with pytest.raises(PermissionDenied, match="branch 01"):
        services.create_customer(user=clerk, values={**VALUES, "branch_id": "01"})
    with pytest.raises(PermissionDenied, match="branch 01"):
        services.update_customer(user=clerk, customer=row, changes={"branch_id": "01"})

    assert upstream.calls == []
    assert AuditEntry.objects.count() == 0


def test_delete_is_audited_with_the_branch(manager, upstream, row):
    upstream.delete(1)

    outcome = services.delete_customer(user=manager, customer=row)

    assert outcome.result is Result.SAVED
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.outcome, entry.customer_id, entry.branch_id) == (
        AuditEntry.DELETE,
        AuditEntry.SUCCESS,
        1,
        "00",
    )


def make_manager_of(code):
    from django.contrib.auth import get_user_model

    return make_user(get_user_model(), f"m{code}", role="Branch manager", branch_codes=[code])


def test_the_admin_finds_the_attempts_of_one_form(admin_client, clerk, upstream):
    upstream.create()
    token = submissions.new_token()
    services.create_customer(user=clerk, token=token, values=VALUES)

    found = admin_client.get(f"/admin/customers/auditentry/?q={key(token)}")
    odd = admin_client.get("/admin/customers/auditentry/?q=not-a-token")

    assert found.status_code == odd.status_code == 200
    assert "CUST003" in found.content.decode()


# --- many writes under one form token (the list's bulk action) -----------------------------


def test_update_each_writes_each_visible_customer_under_one_token(clerk, upstream, row):
    upstream.update(1, is_active=False)
    other = dataclasses.replace(row, id=2, branch_id="01")
    token = submissions.new_token()

    refusal, outcomes = services.update_each(
        user=clerk,
        changes_of=[(row, {"is_active": False}), (other, {"is_active": False})],
        token=token,
    )

    assert refusal is None
    assert outcomes[0].result is Result.SAVED
    assert outcomes[1].result is Result.REFUSED  # another branch: as if it did not exist
    assert isinstance(outcomes[1].error, errors.NotFound)
    assert upstream.calls_to("PUT", "customers/2") == []
    assert list(AuditEntry.objects.values_list("customer_id", flat=True)) == [1]
    assert FormSubmission.objects.get(token=key(token)).customer_id == 1
    again, _ = services.update_each(
        user=clerk, changes_of=[(row, {"is_active": False})], token=token
    )
    assert again.result is Result.ALREADY_SENT
