"""Ids and numbers read from a request: ASCII digits only; anything else is ignored or a
4xx with a message, never a 500 (Hardening II #7: `selected=²` was a 500)."""

import pytest

from customers.bulk import parse_ids
from customers.forms import parse_page_number
from customers.jobs import Job

pytestmark = pytest.mark.usefixtures("branches")

ODD = [
    "²",  # '²'.isdigit() is True, int('²') fails
    "١٢",  # Arabic-Indic digits: int() reads 12
    "１",  # full-width one
    "-1",
    "+1",
    " 1",
    "1 ",
    "1_000",
    "1.5",
    "1e3",
    "0",
    "",
    "9" * 30,
    "9" * 5000,  # beyond int()'s 4300 digits
    "9223372036854775808",  # one past a bigint
]
CUSTOMERS = {1: {"branch_id": "00", "name": "ABC Trading Ltd", "is_active": True}}


@pytest.fixture
def served(upstream):
    return upstream.serve(dict(CUSTOMERS))


def test_only_ascii_digits_are_read():
    assert parse_ids(["1", *ODD, "2", "1"]) == [1, 2]
    assert [parse_page_number(raw) for raw in ["3", *ODD]] == [3] + [1] * len(ODD)


@pytest.mark.parametrize("value", ODD)
@pytest.mark.parametrize(
    "url",
    [
        "/customers/?page={}",
        "/customers/?per_page={}",
        "/customers/?branch_id={}",
        "/customers/1/?page={}",
        "/customers/1/transactions/?page={}",
        "/customers/search/?q={}",
        "/customers/export.csv?page={}",
    ],
)
def test_query_numbers_never_give_a_500(admin_client, served, assert_safe, url, value):
    response = admin_client.get(url.format(value))

    assert response.status_code in (200, 302)
    if not response.streaming:
        assert_safe(response)
    for call in served.calls:  # what reaches the upstream is a plain number or nothing
        for name in ("page", "per_page"):
            assert served.params(call).get(name, "1").isascii()


@pytest.mark.parametrize("value", ["9" * 20, "9223372036854775808", "0" * 30 + "1", "١"])
@pytest.mark.parametrize(
    "path",
    ["", "transactions/", "edit/", "delete/", "chart/", "transactions.csv", "statement/"],
)
def test_an_id_in_the_path_that_no_database_holds_is_not_found(
    admin_client, served, assert_safe, path, value
):
    response = admin_client.get(f"/customers/{value}/{path}")

    assert response.status_code == 404
    assert_safe(response)
    assert served.calls == []


@pytest.mark.parametrize("action", ["mark_inactive", "export_csv"])
@pytest.mark.parametrize("confirmed", ["", "yes"])
def test_selected_ids_that_are_not_ascii_digits_are_ignored(
    admin_client, served, messages_of, action, confirmed
):
    data = {"action": action, "selected": ODD, "confirmed": confirmed}

    response = admin_client.post("/customers/actions/", data)

    assert response.status_code == 302
    assert "Tick at least one customer" in messages_of(response)[0]
    assert served.calls == []


def test_odd_ids_beside_a_good_one_leave_the_good_one(admin_client, served, html_of):
    response = admin_client.post(
        "/customers/actions/", {"action": "mark_inactive", "selected": ["²", "1", "١"]}
    )

    assert response.status_code == 200
    page = html_of(response)
    assert page.form_data()["selected"] == "1"
    assert "ABC Trading Ltd" in page.html


@pytest.mark.parametrize("value", ODD)
def test_a_background_export_of_an_odd_customer_id_is_not_found(admin_client, served, value):
    fields = {"what": "transactions", "format": "csv", "customer_id": value}

    response = admin_client.post("/exports/new/", fields)

    assert response.status_code == 404  # "²" was a 500, and "١" started customer 1's export
    assert not Job.objects.exists()
    assert served.calls == []
