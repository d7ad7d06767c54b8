"""Not-found pages that tell nothing apart, deleted customers told to those who may know,
no audit row for what a user could not do, and 403 pages that say what was refused."""

import re
from html import unescape

import pytest
from django.utils.timezone import localtime

from customers import submissions
from customers.models import AuditEntry
from tests.role_users import make_user

pytestmark = pytest.mark.usefixtures("branches")

NOISE = [
    re.compile(r'"X-CSRFToken": "[^"]*"'),
    re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"'),
    re.compile(r'nonce="[^"]*"'),
]


def without_noise(response) -> str:
    body = response.content.decode()
    for pattern in NOISE:
        body = pattern.sub("", body)
    return body


@pytest.fixture
def login(client, django_user_model):
    def as_user(name, *, role=None, branches=(), superuser=False):
        user = make_user(
            django_user_model, name, role=role, branch_codes=branches, superuser=superuser
        )
        client.force_login(user)
        return client

    return as_user


# --- issue 11 #2: one not-found page ---------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "edit/", "delete/"])
def test_another_branchs_customer_and_a_missing_id_read_the_same(login, upstream, suffix):
    client = login("manager01", role="Branch manager", branches=["01"])
    upstream.detail(1, branch_id="00")  # exists, in a branch this user may not see
    upstream.not_found("GET", "customers/2")  # the upstream's own "Customer not found"

    other_branch = client.get(f"/customers/1/{suffix}")
    missing = client.get(f"/customers/2/{suffix}")

    assert other_branch.status_code == missing.status_code == 404
    assert without_noise(other_branch) == without_noise(missing)
    assert "Customer not found." in missing.content.decode()


def test_the_htmx_notices_read_the_same_too(login, upstream, htmx_headers):
    client = login("clerk01", role="Office staff", branches=["01"])
    upstream.detail(1, branch_id="00")
    upstream.not_found("GET", "customers/2")

    other_branch = client.get("/customers/1/", headers=htmx_headers)
    missing = client.get("/customers/2/", headers=htmx_headers)

    assert without_noise(other_branch) == without_noise(missing)
    assert "<html" not in missing.content.decode()


# --- issue 11 #6: no forged audit rows --------------------------------------------------


def test_an_edit_whose_customer_cannot_be_loaded_records_nothing(
    login, upstream, fault_named, html_of
):
    client = login("clerk00", role="Office staff", branches=["00"])
    upstream.fail("GET", "customers/5", fault_named("503"))
    typed = {"customer_no": "FORGED-1", "name": "Someone else", "branch_id": "00"}

    response = client.post("/customers/5/edit/", typed)

    assert response.status_code == 503
    assert html_of(response).form_data("customer-form")["customer_no"] == "FORGED-1"
    assert AuditEntry.objects.count() == 0
    assert upstream.calls_to("PUT", "customers/5") == []


@pytest.mark.parametrize("url", ["/customers/1/edit/", "/customers/2/edit/"])
def test_an_edit_of_a_customer_not_seen_records_nothing(login, upstream, url):
    client = login("clerk01", role="Office staff", branches=["01"])
    upstream.detail(1, branch_id="00")
    upstream.not_found("GET", "customers/2")

    response = client.post(url, {"customer_no": "FORGED-2", "name": "x", "branch_id": "01"})

    assert response.status_code == 404
    assert AuditEntry.objects.count() == 0
    assert [r.method for r in upstream.calls] == ["GET"]


# --- issue 14 #4: deleted through ctaxoffice ---------------------------------------------


@pytest.fixture
def deleted_by_manager(client, django_user_model, upstream):
    """manager00 deletes customer 1 (branch 00) through the app; then it answers 404."""
    manager = make_user(django_user_model, "manager00", role="Branch manager", branch_codes=["00"])
    client.force_login(manager)
    upstream.detail(1, branch_id="00", customer_no="CUST001")
    upstream.delete(1)
    token = {"submission_token": submissions.new_token()}
    assert client.post("/customers/1/delete/", token).status_code == 302
    client.logout()
    upstream.rsps.reset()
    upstream.not_found("GET", "customers/1")
    upstream.not_found("GET", "customers/2")
    return AuditEntry.objects.get(action=AuditEntry.DELETE)


def test_the_branch_manager_is_told_who_deleted_it_and_when(login, deleted_by_manager, html_of):
    client = login("manager00b", role="Branch manager", branches=["00"])

    response = client.get("/customers/1/")

    assert response.status_code == 404
    html = html_of(response)
    notice = " ".join(html.find("div", class_="deleted-customer").text.split())
    assert "This customer (CUST001, branch 00) was deleted by manager00 on" in notice
    notice_box = html.find("div", class_="deleted-customer")
    assert (
        html.find("time", within=notice_box)
        .attrs["datetime"]
        .startswith(localtime(deleted_by_manager.created_at).date().isoformat())
    )
    trail = html.find("table", class_="audit-trail")
    assert html.rows(trail)[1][1:3] == ["manager00", "Delete"]


@pytest.mark.parametrize("suffix", ["", "edit/", "transactions/", "delete/"])
def test_every_url_of_the_customer_says_so(login, deleted_by_manager, suffix):
    client = login("root2", superuser=True)

    response = client.get(f"/customers/1/{suffix}")

    assert response.status_code == 404
    assert "was deleted by manager00" in response.content.decode()


def test_a_clerk_of_the_branch_is_told_but_sees_no_audit_trail(login, deleted_by_manager, html_of):
    client = login("clerk00", role="Office staff", branches=["00"])

    html = html_of(client.get("/customers/1/"))

    assert "was deleted by manager00" in html.html
    assert html.find_all("table", class_="audit-trail") == []


def test_another_branch_gets_the_plain_not_found_page(login, deleted_by_manager):
    client = login("clerk01", role="Office staff", branches=["01"])

    deleted = client.get("/customers/1/")
    missing = client.get("/customers/2/")

    assert deleted.status_code == 404
    assert "deleted" not in deleted.content.decode()
    assert without_noise(deleted) == without_noise(missing)


def test_a_failed_delete_does_not_count(login, upstream, fault_named):
    client = login("manager00", role="Branch manager", branches=["00"])
    upstream.detail(1, branch_id="00")
    upstream.fail("DELETE", "customers/1", fault_named("500"))
    client.post("/customers/1/delete/")
    upstream.rsps.reset()
    upstream.not_found("GET", "customers/1")

    response = client.get("/customers/1/")

    assert response.status_code == 404
    assert "deleted by" not in response.content.decode()


# --- issue 14 #9: the 403 page says what was refused ------------------------------------


@pytest.mark.parametrize(
    ("method", "url", "role", "says"),
    [
        ("post", "/customers/1/delete/", "Office staff", "delete customers"),
        ("get", "/customers/1/delete/", "Office staff", "delete customers"),
        ("get", "/customers/new/", None, "add customers"),
        ("post", "/customers/1/edit/", None, "edit customers"),
    ],
)
def test_the_403_page_says_what_was_refused(login, upstream, method, url, role, says):
    client = login("someone", role=role, branches=["00"])

    response = getattr(client, method)(url)

    assert response.status_code == 403
    body = unescape(response.content.decode())
    assert f"You don't have permission to {says}." in body
    assert upstream.calls == []
    assert AuditEntry.objects.count() == 0
