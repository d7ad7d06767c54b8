"""Who may use the reports: managers and administrators, each in their own branches;
office staff print statements (a walk-in customer asks for one at the counter)."""

import pytest

from tests.fakes import transaction

pytestmark = pytest.mark.usefixtures("branches")

CUSTOMER_URLS = {
    "chart": "/customers/{id}/chart/",
    "transactions_csv": "/customers/{id}/transactions.csv",
    "statement": "/customers/{id}/statement/",
}
MANAGERS_ONLY = ["/customers/1/chart/", "/customers/1/transactions.csv", "/customers/export.csv"]
OWN = {"manager00": 1, "manager01": 2, "admin": 1, "staff00": 1}
OTHER = {"manager00": 2, "manager01": 1, "admin": 2, "staff00": 2}


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("case", list(CUSTOMER_URLS))
@pytest.mark.parametrize("user", ["manager00", "manager01", "admin"])
def test_managers_and_admins_read_their_own_branch(as_user, served_upstream, case, user):
    response = as_user(user).get(CUSTOMER_URLS[case].format(id=OWN[user]))
    assert response.status_code == 200
    _body(response)


@pytest.mark.parametrize("case", list(CUSTOMER_URLS))
@pytest.mark.parametrize("user", ["manager00", "manager01"])
def test_another_branchs_customer_is_not_found(as_user, served_upstream, case, user):
    response = as_user(user).get(CUSTOMER_URLS[case].format(id=OTHER[user]))
    assert response.status_code == 404
    secret = {"manager00": "Mombasa Secret", "manager01": "Head Office Trading"}[user]
    assert secret not in _body(response).decode()


@pytest.mark.parametrize("case", list(CUSTOMER_URLS))
def test_administrators_see_every_branch(as_user, served_upstream, case):
    assert as_user("admin").get(CUSTOMER_URLS[case].format(id=2)).status_code == 200


@pytest.mark.parametrize("path", MANAGERS_ONLY)
def test_office_staff_are_refused_without_asking_the_upstream(as_user, served_upstream, path):
    response = as_user("staff00").get(path)
    assert response.status_code == 403
    assert len(served_upstream.calls) == 0


@pytest.mark.parametrize(
    "path", [*(u.format(id=1) for u in CUSTOMER_URLS.values()), "/customers/export.csv"]
)
def test_anonymous_users_go_to_the_login_page(client, served_upstream, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert len(served_upstream.calls) == 0


def test_office_staff_print_a_statement_of_their_own_branch_only(as_user, served_upstream):
    served_upstream.histories[1] = [transaction(1)]
    client = as_user("staff00")

    own = client.get("/customers/1/statement/")
    other = client.get("/customers/2/statement/")

    assert own.status_code == 200
    assert "INV-0001" in own.content.decode()
    assert "transactions.csv" not in own.content.decode()  # the CSV stays with managers
    assert other.status_code == 404


def test_both_roles_are_given_the_statement_permission(users):
    from django.contrib.auth.models import Group

    for role in ("Office staff", "Branch manager"):
        codenames = Group.objects.get(name=role).permissions.values_list("codename", flat=True)
        assert "print_statement" in codenames
    assert users["staff00"].has_perm("customers.print_statement")
    assert not users["staff00"].has_perm("customers.export_customer")


def test_customer_export_of_another_branch_gets_the_lists_notice(as_user, served_upstream):
    client = as_user("manager00")
    response = client.get("/customers/export.csv?branch_id=01&export_token=abc123def456")
    assert response.status_code == 302 and len(served_upstream.calls) == 0
    assert response["Location"] == "/customers/?branch_id=01"
    listing = client.get(response["Location"]).content.decode()
    assert "Branch “01” is not one of your branches (00): showing 00 instead." in listing


def test_customer_export_keeps_a_manager_in_their_branch(as_user, served_upstream):
    response = as_user("manager00").get("/customers/export.csv")
    text = _body(response).decode("utf-8-sig")
    assert "Head Office Trading Ltd" in text and "Mombasa" not in text
    assert served_upstream.queries_to("customers")[0]["branch_id"] == "00"
    assert 'filename="customers-branch-00-' in response["Content-Disposition"]


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_reports_are_read_only(as_user, served_upstream, method):
    for path in [*(u.format(id=1) for u in CUSTOMER_URLS.values()), "/customers/export.csv"]:
        assert getattr(as_user("admin"), method)(path).status_code == 405


def test_links_are_shown_only_with_the_export_permission(as_user, served_upstream):
    for user, shown in [("manager00", True), ("staff00", False)]:
        client = as_user(user)
        listing = client.get("/customers/").content.decode()
        detail = client.get("/customers/1/").content.decode()
        history = client.get("/customers/1/transactions/").content.decode()
        assert ("/customers/export.csv" in listing) is shown
        assert ("/customers/1/chart/" in detail) is shown
        assert ("report.js" in detail) is shown
        # The history has no transactions here: no export of nothing.
        assert "/customers/1/transactions.csv" not in history

    served_upstream.histories[1] = [transaction(1)]
    for user, shown in [("manager00", True), ("staff00", False)]:
        history = as_user(user).get("/customers/1/transactions/?type=sales").content.decode()
        assert ("/customers/1/transactions.csv?type=sales" in history) is shown
        assert "/customers/1/statement/?type=sales" in history  # printing: both roles
