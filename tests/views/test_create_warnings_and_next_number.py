"""Issue "A second day at the counter" #3: warnings that stay, numbers to suggest."""

import json
import uuid

import pytest

from customers.models import AuditEntry
from tests.role_users import make_user

pytestmark = pytest.mark.usefixtures("branches")

URL = "/customers/new/"
JANE = {
    "id": 2,
    "customer_no": "CUST002",
    "name": "Jane Wanjiku",
    "tin": None,
    "phone": "+254722345678",
}


@pytest.fixture
def clerk_client(client, django_user_model):
    client.force_login(
        make_user(django_user_model, "clerk01", role="Office staff", branch_codes=("01",))
    )
    return client


def created(*numbers, branch_id="01", outcome=AuditEntry.SUCCESS):
    for number in numbers:
        AuditEntry.objects.create(
            username="someone",
            action=AuditEntry.CREATE,
            customer_no=number,
            branch_id=branch_id,
            outcome=outcome,
        )


def errors_text(html, name) -> str:
    return " ".join(html.by_id(f"errors-{name}").text.split())


# --- warnings shown as a field was left come back with the refused form -------------------


def test_a_phone_warning_given_on_leaving_the_field_is_shown_with_the_refused_form(
    clerk_client, upstream, html_of
):
    upstream.search([JANE])  # branch 01: Jane Wanjiku has it
    upstream.search([JANE])  # every branch: the same one
    left = clerk_client.post(
        "/customers/validate/phone/",
        {"phone": "0722 345678", "check_duplicates": "1"},
        headers={"HX-Request": "true"},
    )
    warning = errors_text(html_of(left), "phone")
    assert "already has this phone number" in warning

    refused = clerk_client.post(
        URL,
        {
            "branch_id": "01",
            "customer_no": "",  # required: refused before any upstream call
            "name": "Jane W.",
            "phone": "+254 722 345 678",  # the same number, written another way
            "submission_token": str(uuid.uuid4()),
        },
    )

    html = html_of(refused)
    assert errors_text(html, "customer_no") == "This field is required."
    assert errors_text(html, "phone") == warning
    assert html.find("a", href="/customers/2/").text == "Jane Wanjiku (CUST002)"
    assert len(upstream.calls_to("GET", "customers/search")) == 2  # nothing asked again


def test_a_warning_for_another_value_is_not_shown(clerk_client, upstream, html_of):
    upstream.search([JANE])
    upstream.search([JANE])
    clerk_client.post(
        "/customers/validate/phone/",
        {"phone": "0722 345678", "check_duplicates": "1"},
        headers={"HX-Request": "true"},
    )

    html = html_of(
        clerk_client.post(
            URL, {"branch_id": "01", "customer_no": "", "name": "N", "phone": "0733 000111"}
        )
    )

    assert errors_text(html, "phone") == ""


# --- the branch's next customer number --------------------------------------------------


def test_the_form_suggests_the_next_number_of_the_only_branch(clerk_client, html_of):
    created("CUST0319", "CUST0321", "CUST0320")
    created("CUST0999", branch_id="00")  # another branch's numbers do not count

    html = html_of(clerk_client.get(URL))

    assert html.form_data("customer-form")["customer_no"] == "CUST0322"
    hint = " ".join(html.by_id("help-customer_no").text.split())
    assert "CUST and 4 digits" in hint and "CUST0321" in hint
    assert "help-customer_no" in html.label_for("Customer number").attrs["aria-describedby"]


def test_a_lost_answer_counts_a_refused_create_does_not(clerk_client, html_of):
    created("B01-0007")
    created("B01-0008", outcome=AuditEntry.UNKNOWN)
    created("B01-0050", outcome=AuditEntry.FAILURE)

    html = html_of(clerk_client.get(URL))

    assert html.form_data("customer-form")["customer_no"] == "B01-0009"


def test_without_numbers_made_here_nothing_is_suggested(clerk_client, html_of):
    created("Walk-in")

    html = html_of(clerk_client.get(URL))

    assert html.form_data("customer-form")["customer_no"] == ""
    assert "Unique in its branch" in html.by_id("help-customer_no").text


def test_every_branch_has_its_suggestion_for_the_script(admin_client, html_of):
    created("CUST0321", branch_id="00")
    created("K-99", branch_id="02")

    html = html_of(admin_client.get(URL))

    assert html.form_data("customer-form")["customer_no"] == ""  # no branch chosen yet
    data = json.loads(html.by_id("customer-number-suggestions").text)
    assert data["00"]["number"] == "CUST0322"
    assert data["02"]["number"] == "K-100"
    assert "01" not in data and data[""]["number"] == ""


def test_every_branchs_suggestion_comes_from_one_read_of_its_latest_numbers(
    admin_client, html_of, monkeypatch
):
    """One query for all the branches; each looks at its own LOOKED_AT latest numbers."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr("customers.numbering.LOOKED_AT", 2)
    created("CUST0900", "CUST0321", "CUST0320", branch_id="00")  # 0900: too old to count
    created("K-7", "K-9", "K-8", branch_id="02")

    with CaptureQueriesContext(connection) as queries:
        html = html_of(admin_client.get(URL))

    data = json.loads(html.by_id("customer-number-suggestions").text)
    assert (data["00"]["number"], data["02"]["number"]) == ("CUST0322", "K-10")
    audit_reads = [q for q in queries.captured_queries if "customers_auditentry" in q["sql"]]
    assert len(audit_reads) == 1


def test_with_the_number_suggested_the_name_has_the_cursor(clerk_client, html_of):
    created("CUST0321")

    html = html_of(clerk_client.get(URL))

    assert "autofocus" in html.label_for("Customer name").attrs
    assert "autofocus" not in html.label_for("Customer number").attrs
