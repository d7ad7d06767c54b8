"""The list's bulk actions (Hardening II #1, #6, #8): another branch's customer reads as
not found; a run that wrote nothing can be sent again; the form's token is the server's."""

import datetime as dt
import json
import threading

import pytest
import time_machine
from django.db import DatabaseError

from customers import submissions
from customers.models import AuditEntry, FormSubmission
from tests.role_users import make_user

pytestmark = pytest.mark.usefixtures("branches")

OTHER_BRANCH, MISSING = 2, 404


@pytest.fixture
def clerk01(client, django_user_model):
    client.force_login(
        make_user(django_user_model, "clerk", role="Office staff", branch_codes=("01",))
    )
    return client


def _act(client, ids, **extra):
    data = {"action": "mark_inactive", "selected": [str(i) for i in ids], **extra}
    return client.post("/customers/actions/", data)


def _other_branch_and_missing(upstream):
    upstream.detail(1, is_active=True, branch_id="01")
    upstream.detail(OTHER_BRANCH, is_active=True, branch_id="00", name="Secret Ltd")
    upstream.not_found("GET", f"customers/{MISSING}")
    upstream.update(1)


# --- 1. another branch's customer reads as a missing one, on every page ------------------


@pytest.mark.parametrize("order", [(OTHER_BRANCH, MISSING), (MISSING, OTHER_BRANCH)])
def test_another_branch_and_a_missing_id_read_the_same_when_done(clerk01, upstream, html_of, order):
    _other_branch_and_missing(upstream)
    data = html_of(_act(clerk01, [1])).form_data()
    data["selected"] = ["1", *map(str, order)]  # the form posted again, ids swapped in

    html = html_of(clerk01.post("/customers/actions/", data))

    rows = {row[0]: row[1:] for row in html.rows(html.by_id("bulk-outcomes"))[1:]}
    assert rows[str(OTHER_BRANCH)] == rows[str(MISSING)] == ["—", "Not found: nothing sent"]
    classes = [
        tr.attrs.get("class") for tr in html.find_all("tr", within=html.by_id("bulk-outcomes"))
    ]
    assert classes[2] == classes[3] == "outcome-missing"
    assert "Secret Ltd" not in html.html and "branches" not in html.text_of("bulk-outcomes")
    assert upstream.calls_to("PUT", f"customers/{OTHER_BRANCH}") == []


def test_another_branch_and_a_missing_id_read_the_same_when_confirming(clerk01, upstream, html_of):
    _other_branch_and_missing(upstream)

    html = html_of(_act(clerk01, [1, OTHER_BRANCH, MISSING]))

    text = " ".join(html.text_of("content").split())
    assert f"Not found, so left out: customer IDs {OTHER_BRANCH}, {MISSING}." in text
    assert "branches" not in text and "Secret Ltd" not in text


def test_another_branch_and_a_missing_id_read_the_same_in_the_export(admin_client, upstream):
    upstream.not_found("GET", f"customers/{MISSING}")
    response = admin_client.post(
        "/customers/actions/", {"action": "export_csv", "selected": [str(MISSING)]}
    )

    last = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[-1]
    assert last == f"Not exported (not found or not answering): customer IDs {MISSING}"


# --- 6. a run that wrote nothing can be sent again -------------------------------------


def test_after_a_run_where_every_write_failed_the_same_form_can_be_sent_again(
    admin_client, upstream, html_of, fault_named
):
    upstream.detail(1, is_active=True)
    upstream.fail("PUT", "customers/1", fault_named("503"))
    data = html_of(_act(admin_client, [1])).form_data()
    data["selected"] = ["1"]

    first = html_of(admin_client.post("/customers/actions/", data))
    upstream.update(1)  # the upstream is back
    again = admin_client.post("/customers/actions/", data)

    assert "0 of 1 customer changed." in first.html
    assert again.status_code == 200
    assert "1 of 1 customer changed." in html_of(again).html
    assert len(upstream.calls_to("PUT", "customers/1")) == 2
    assert FormSubmission.objects.get().customer_id == 1  # completed by the second run


def test_a_token_database_error_shows_the_form_again_with_a_message(
    admin_client, upstream, html_of, monkeypatch
):
    upstream.detail(1, is_active=True)
    data = html_of(_act(admin_client, [1])).form_data()
    data["selected"] = ["1"]

    def refuse(*args, **kwargs):
        raise DatabaseError("database is locked")

    monkeypatch.setattr(FormSubmission.objects, "create", refuse)
    response = admin_client.post("/customers/actions/", data)

    assert response.status_code == 200
    html = html_of(response)
    assert "could not record this change" in html.text_of("content")
    assert html.form_data()["submission_token"] == data["submission_token"]
    assert upstream.calls_to("PUT", "customers/1") == []
    assert AuditEntry.objects.count() == 0


# --- 8. the token is the server's and expires ----------------------------------------------


def _refused_as_too_old(response, html_of, upstream):
    assert response.status_code == 200
    html = html_of(response)
    assert "This form is too old: check it and send it again." in html.text_of("content")
    token = html.form_data()["submission_token"]
    assert submissions.parse_token(token) is not None  # a fresh one to send again with
    assert upstream.calls_to("PUT", "customers/1") == []
    assert AuditEntry.objects.count() == 0 and FormSubmission.objects.count() == 0


@pytest.mark.parametrize(
    "token", ["", "6d1f0c1e-3a7e-4a55-9d57-1f4b1c3f2a10", "6d1f0c1e3a7e4a559d571f4b1c3f2a10:x:y"]
)
def test_a_token_the_server_did_not_issue_sends_nothing(admin_client, upstream, html_of, token):
    upstream.detail(1, is_active=True)

    response = _act(admin_client, [1], confirmed="yes", submission_token=token)

    _refused_as_too_old(response, html_of, upstream)


def test_an_expired_token_sends_nothing(admin_client, upstream, html_of, settings):
    settings.CTAX_FORM_HOURS = 2  # within the login's hours
    upstream.detail(1, is_active=True)
    data = html_of(_act(admin_client, [1])).form_data()
    data["selected"] = ["1"]

    with time_machine.travel(dt.timedelta(hours=2, minutes=1)):
        response = admin_client.post("/customers/actions/", data)
        _refused_as_too_old(response, html_of, upstream)


# --- the page's one deadline: started writes are waited for, late ones never sent --------


def test_a_write_not_started_by_the_page_deadline_is_not_sent_and_says_so(
    admin_client, upstream, html_of, settings, monkeypatch
):
    monkeypatch.setattr("customers.fanout.MAX_PARALLEL", 1)  # one write at a time
    upstream.detail(1, is_active=True)
    upstream.detail(3, is_active=True, customer_no="C003", name="Late Ltd")
    data = html_of(_act(admin_client, [1, 3])).form_data()
    data["selected"] = ["1", "3"]
    answered = threading.Event()

    def slow_put(request):
        threading.Timer(0.6, answered.set).start()  # answers after the page's deadline
        assert answered.wait(5)
        return 200, {}, json.dumps({"status": "success", "message": "Customer updated"})

    upstream.rsps.add_callback("PUT", upstream.url("customers/1"), callback=slow_put)
    settings.CTAX_PAGE_DEADLINE = 0.3

    html = html_of(admin_client.post("/customers/actions/", data))

    rows = {row[1]: row[-1] for row in html.rows(html.by_id("bulk-outcomes"))[1:]}
    assert rows["CUST001"] == "Done"  # started before the deadline: waited for, settled
    assert rows["C003"].startswith("Failed: Not sent: this page ran out of time")
    assert upstream.calls_to("PUT", "customers/3") == []
    outcomes = dict(AuditEntry.objects.values_list("customer_id", "outcome"))
    assert outcomes == {1: AuditEntry.SUCCESS, 3: AuditEntry.FAILURE}
