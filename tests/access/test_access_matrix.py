"""Each role × each URL × each method → the expected status; other branches answer 404."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from customers import submissions
from customers.models import AuditEntry
from tests.role_users import make_user

OWN = {"staff01": 2, "manager00": 1, "norole00": 1, "admin": 1, "anonymous": 1}
OTHER = {"staff01": 1, "manager00": 2, "norole00": 2, "admin": 2, "anonymous": 2}
OTHER_NAMES = {1: "Head Office Trading Ltd", 2: "Mombasa Secret Supplies"}
BRANCH_OF = {"staff01": "01", "manager00": "00", "norole00": "00", "admin": "00", "anonymous": "00"}

# (case, method, path, whose customer) -> expected status per user
CASES = {
    ("list", "get", "/customers/", None): dict(staff01=200, manager00=200, admin=200),
    ("search", "get", "/customers/search/?q=Tr", None): dict(staff01=200, manager00=200, admin=200),
    ("new", "get", "/customers/new/", None): dict(staff01=200, manager00=200, admin=200),
    ("new", "post", "/customers/new/", None): dict(staff01=302, manager00=302, admin=302),
    ("validate", "post", "/customers/validate/tin/", None): dict(
        staff01=200, manager00=200, admin=200
    ),
    ("detail", "get", "/customers/{id}/", "own"): dict(staff01=200, manager00=200, admin=200),
    ("detail", "get", "/customers/{id}/", "other"): dict(staff01=404, manager00=404, admin=200),
    ("history", "get", "/customers/{id}/transactions/", "own"): dict(
        staff01=200, manager00=200, admin=200
    ),
    ("history", "get", "/customers/{id}/transactions/", "other"): dict(
        staff01=404, manager00=404, admin=200
    ),
    ("edit", "get", "/customers/{id}/edit/", "own"): dict(staff01=200, manager00=200, admin=200),
    ("edit", "get", "/customers/{id}/edit/", "other"): dict(staff01=404, manager00=404, admin=200),
    ("edit", "post", "/customers/{id}/edit/", "own"): dict(staff01=302, manager00=302, admin=302),
    ("edit", "post", "/customers/{id}/edit/", "other"): dict(staff01=404, manager00=404, admin=302),
    ("delete", "get", "/customers/{id}/delete/", "own"): dict(
        staff01=403, manager00=200, admin=200
    ),
    ("delete", "get", "/customers/{id}/delete/", "other"): dict(
        staff01=403, manager00=404, admin=200
    ),
    ("delete", "post", "/customers/{id}/delete/", "own"): dict(
        staff01=403, manager00=302, admin=302
    ),
    ("delete", "post", "/customers/{id}/delete/", "other"): dict(
        staff01=403, manager00=404, admin=302
    ),
}
USERS = ["anonymous", "norole00", "staff01", "manager00", "admin"]


def _expected(user, expectations):
    if user == "anonymous":
        return 302
    return expectations.get(user, 403)


def _post_data(case, user):
    if case == "new":
        return {
            "branch_id": BRANCH_OF[user],
            "customer_no": "NEW1",
            "name": "New Co",
            "submission_token": submissions.new_token(),
        }
    if case == "edit":
        return {
            "branch_id": "00" if user != "staff01" else "01",
            "customer_no": "X1",
            "name": "Renamed",
            "phone": "+254712345678",
            "is_active": "on",
            "submission_token": submissions.new_token(),
        }
    if case == "validate":
        return {"tin": "P000123456X"}
    return {"submission_token": submissions.new_token()}


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize(("case", "method", "path", "whose"), list(CASES))
def test_matrix(client, served_upstream, users, user, case, method, path, whose):
    expectations = CASES[(case, method, path, whose)]
    if user != "anonymous":
        client.force_login(users[user])
    customer_id = OWN[user] if whose == "own" else OTHER[user]
    url = path.format(id=customer_id)
    headers = {"HX-Request": "true"} if case in ("search", "validate") else {}
    if method == "get":
        response = client.get(url, headers=headers)
    else:
        response = client.post(url, _post_data(case, user), headers=headers)

    assert response.status_code == _expected(user, expectations), response.content[:500]
    if user == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    if user in ("staff01", "manager00"):
        other_name = OTHER_NAMES[OTHER[user]]
        assert other_name not in response.content.decode()


def test_buttons_follow_permissions(client, served_upstream, users):
    client.force_login(users["staff01"])
    response = client.get("/customers/2/")
    assertContains(response, '<a href="/customers/2/edit/" class="changelink">Edit</a>', html=True)
    assertNotContains(response, "/customers/2/delete/")
    assertNotContains(response, "Changes made through ctaxoffice")  # staff do not read the trail
    client.force_login(users["manager00"])
    response = client.get("/customers/1/")
    assertContains(response, "/customers/1/delete/")
    assertContains(response, "Changes made through ctaxoffice")


def test_list_and_search_send_only_the_users_branch(client, served_upstream, users):
    client.force_login(users["staff01"])
    client.get("/customers/?branch_id=00")  # not theirs: ignored
    client.get("/customers/search/?q=Tr", headers={"HX-Request": "true"})
    sent = [call.params.get("branch_id") for call in served_upstream.calls]
    assert sent == ["01", "01"]


def test_create_offers_only_the_users_branches(client, served_upstream, users):
    client.force_login(users["staff01"])
    page = client.get("/customers/new/")
    assertContains(
        page,
        """<select name="branch_id" required id="id_branch_id">
             <option value="">Choose a branch…</option>
             <option value="01" selected>01 — Mombasa Road</option>
           </select>""",
        html=True,
    )
    response = client.post(
        "/customers/new/", {"branch_id": "00", "customer_no": "N1", "name": "Sneaky Ltd"}
    )
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not served_upstream.calls_to("POST", "customers")


def test_a_user_without_branches_sees_nothing_and_calls_nothing(
    client, served_upstream, django_user_model, branches
):
    client.force_login(make_user(django_user_model, "lonely", role="Office staff"))
    page = client.get("/customers/").content.decode()
    assert "not assigned to any branch" in page
    assert len(served_upstream.calls) == 0


def test_every_write_is_audited(client, served_upstream, users):
    client.force_login(users["staff01"])
    client.post(
        "/customers/2/edit/",
        {
            "branch_id": "01",
            "customer_no": "MSA001",
            "name": "Mombasa Secret Supplies",
            "phone": "0722 000111",
            "is_active": "on",
            "submission_token": submissions.new_token(),
        },
    )
    entry = AuditEntry.objects.get()
    assert entry.action == "update" and entry.username == "staff01"
    assert entry.outcome == "success" and entry.customer_id == 2
    assert entry.changes == {"phone": ["+254712345678", "+254722000111"]}
    assert entry.request_id == "req_put"


def test_list_filters_survive_edit_and_delete(client, served_upstream, users):
    client.force_login(users["manager00"])
    carried = "?_changelist_filters=search%3DHead%26page%3D2"
    page = client.get(f"/customers/1/{carried}").content.decode()
    assert f"/customers/1/delete/{carried.replace('&', '&amp;')}" in page
    saved = client.post(
        f"/customers/1/edit/{carried}",
        {
            "branch_id": "00",
            "customer_no": "HQ001",
            "name": "Renamed Ltd",
            "phone": "+254712345678",
            "is_active": "on",
            "submission_token": submissions.new_token(),
        },
    )
    assert saved["Location"] == f"/customers/1/{carried}"
    deleted = client.post(
        f"/customers/1/delete/{carried}", {"submission_token": submissions.new_token()}
    )
    assert deleted["Location"] == "/customers/?search=Head&page=2"
