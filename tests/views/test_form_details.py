"""Issue 14 #1, #5, #7 on the form pages: stale stored values, duplicates named as the
TIN or phone is left, and the counter's defaults."""

import pytest

from customers import submissions
from tests.role_users import make_user

pytestmark = pytest.mark.usefixtures("branches")

EDIT = "/customers/1/edit/"
STALE_PHONE = "+254192375643"  # stored years ago; today's rules refuse it


def errors_text(html, name) -> str:
    return " ".join(html.by_id(f"errors-{name}").text.split())


@pytest.fixture
def login(client, django_user_model):
    def as_user(name, *, role="Office staff", branches=("00",)):
        user = make_user(django_user_model, name, role=role, branch_codes=branches)
        client.force_login(user)
        return client

    return as_user


# --- #1 an edit is never blocked by a stored value today's rules refuse --------------------


def test_a_stale_phone_is_pointed_out_beside_its_field(admin_client, upstream, html_of):
    upstream.detail(1, phone=STALE_PHONE)

    html = html_of(admin_client.get(EDIT))

    warning = " ".join(html.by_id("warning-phone").text.split())
    assert warning.startswith("The stored phone number no longer passes today's checks;")
    assert "warning-phone" in html.label_for("Phone").attrs["aria-describedby"].split()
    assert html.find_all(None, id="warning-address") == []
    assert errors_text(html, "phone") == ""


def test_changing_another_field_saves_and_sends_only_that(
    admin_client, upstream, html_of, messages_of
):
    upstream.detail(1, phone=STALE_PHONE)
    data = html_of(admin_client.get(EDIT)).form_data("customer-form")
    upstream.update(1)

    response = admin_client.post(EDIT, {**data, "address": "Ngong Road, Nairobi"})

    assert response.status_code == 302
    bodies = [upstream.json_body(r) for r in upstream.calls_to("PUT", "customers/1")]
    assert bodies == [{"address": "Ngong Road, Nairobi"}]
    assert messages_of(response) == ["Saved: Address."]


def test_the_stale_value_is_still_checked_once_changed(admin_client, upstream, html_of):
    upstream.detail(1, phone=STALE_PHONE)
    data = html_of(admin_client.get(EDIT)).form_data("customer-form")

    response = admin_client.post(EDIT, {**data, "phone": "+254192375644"})

    html = html_of(response)
    assert "Enter a valid phone number" in errors_text(html, "phone")
    assert html.find_all(None, id="warning-phone") == []  # the typed value is the user's now
    assert upstream.calls_to("PUT", "customers/1") == []


def test_a_refused_edit_still_warns_of_the_untouched_stale_value(admin_client, upstream, html_of):
    upstream.detail(1, phone=STALE_PHONE, email="old@@example")
    data = html_of(admin_client.get(EDIT)).form_data("customer-form")

    response = admin_client.post(EDIT, {**data, "tin": "bad"})

    html = html_of(response)
    assert "Enter a TIN" in errors_text(html, "tin")
    assert errors_text(html, "phone") == errors_text(html, "email") == ""
    assert html.by_id("warning-phone") and html.by_id("warning-email")
    assert html.form_data("customer-form")["phone"] == STALE_PHONE


# --- #5 a TIN or phone someone already has ---------------------------------------------


def check(client, field, value):
    return client.post(
        f"/customers/validate/{field}/",
        {field: value, "check_duplicates": "1"},
        headers={"HX-Request": "true"},
    )


def test_a_tin_held_in_the_users_branch_is_named_and_linked(login, upstream, html_of):
    client = login("clerk00")
    upstream.search([upstream.hit(0, id=1)])  # branch 00: ABC Trading Ltd, P000123456X
    upstream.search([upstream.hit(0, id=1)])  # every branch: the same one

    response = check(client, "tin", "p000123456x")

    html = html_of(response)
    assert errors_text(html, "tin") == (
        "Customer ABC Trading Ltd (CUST001) already has this TIN. You can still save."
    )
    assert html.find("a").attrs["href"] == "/customers/1/"
    searches = [upstream.params(r) for r in upstream.calls_to("GET", "customers/search")]
    assert searches == [
        {"q": "P000123456X", "branch_id": "00", "limit": "50"},
        {"q": "P000123456X", "limit": "50"},
    ]


def test_a_phone_held_in_another_branch_is_reported_without_naming_it(login, upstream, html_of):
    client = login("clerk00")
    upstream.search([])  # branch 00: nobody
    upstream.search([upstream.hit(0, id=44, name="Secret Ltd", customer_no="S-44")])  # anywhere

    response = check(client, "phone", "0712 345678")

    body = response.content.decode()
    assert errors_text(html_of(response), "phone") == (
        "A customer in another branch already has this phone number. You can still save."
    )
    assert "Secret" not in body and "S-44" not in body and "/customers/44/" not in body
    assert upstream.params(upstream.calls[0])["q"] == "+254712345678"


def test_an_administrator_gets_every_holder_named_in_one_search(admin_client, upstream, html_of):
    upstream.search([upstream.hit(0, id=1), upstream.hit(1, id=5)])

    html = html_of(check(admin_client, "tin", "P000123456X"))

    assert errors_text(html, "tin") == (
        "Customer ABC Trading Ltd (CUST001) already has this TIN. You can still save."
    )
    assert len(upstream.calls) == 1


def test_no_warning_when_nobody_has_it_or_the_search_fails(login, upstream, html_of, fault_named):
    client = login("clerk00")
    upstream.search([upstream.hit(1)])  # a hit that does not hold this TIN
    nobody = check(client, "tin", "P000123456X")
    upstream.rsps.reset()
    upstream.fail("GET", "customers/search", fault_named("503"))
    failing = check(client, "tin", "P000123456X")

    assert errors_text(html_of(nobody), "tin") == ""
    assert errors_text(html_of(failing), "tin") == ""
    assert failing.status_code == 200


def test_only_the_create_form_asks_and_saving_stays_allowed(admin_client, upstream, html_of):
    upstream.search([upstream.hit(0, id=1)])

    plain = admin_client.post("/customers/validate/tin/", {"tin": "P000123456X"})
    create_form = html_of(admin_client.get("/customers/new/"))
    upstream.detail(1)
    edit_form = html_of(admin_client.get(EDIT))

    assert "already has" not in plain.content.decode()
    assert create_form.label_for("TIN").attrs["hx-vals"] == '{"check_duplicates": "1"}'
    assert "hx-vals" not in create_form.label_for("Customer name").attrs
    assert "hx-vals" not in edit_form.label_for("TIN").attrs
    assert upstream.calls_to("GET", "customers/search") == []


# --- #7 the counter's defaults ----------------------------------------------------------


def test_the_only_branch_is_preselected_and_the_number_has_the_cursor(login, html_of):
    client = login("clerk00")

    html = html_of(client.get("/customers/new/"))

    assert html.form_data("customer-form")["branch_id"] == "00"
    assert "autofocus" in html.label_for("Customer number").attrs
    assert "autofocus" not in html.label_for("Branch").attrs


def test_with_several_branches_the_branch_comes_first(admin_client, html_of):
    html = html_of(admin_client.get("/customers/new/"))

    assert html.form_data("customer-form")["branch_id"] == ""
    assert "autofocus" in html.label_for("Branch").attrs


def test_add_another_keeps_the_chosen_branch(admin_client, upstream, html_of):
    upstream.create()

    response = admin_client.post(
        "/customers/new/",
        {
            "branch_id": "01",
            "customer_no": "C9",
            "name": "N",
            "_addanother": "1",
            "submission_token": submissions.new_token(),
        },
    )
    html = html_of(admin_client.get(response["Location"]))

    assert response["Location"] == "/customers/new/?branch_id=01"
    assert html.form_data("customer-form")["branch_id"] == "01"
    # the branch's next number: after the one the (fake) upstream answered, CUST003
    assert html.form_data("customer-form")["customer_no"] == "CUST004"


def test_a_branch_asked_for_in_the_address_must_be_the_users(login, html_of):
    client = login("clerk00")

    html = html_of(client.get("/customers/new/?branch_id=01"))

    assert html.form_data("customer-form")["branch_id"] == "00"


def test_the_first_field_with_an_error_has_the_cursor(admin_client, html_of):
    html = html_of(admin_client.post("/customers/new/", {"branch_id": "00", "customer_no": "C"}))

    assert "autofocus" in html.label_for("Customer name").attrs
    assert "autofocus" not in html.label_for("Branch").attrs


def test_save_and_continue_editing(admin_client, upstream, html_of, messages_of):
    upstream.detail(1)
    html = html_of(admin_client.get(EDIT))
    data = html.form_data("customer-form")
    assert html.find("input", name="_continue").attrs["value"] == "Save and continue editing"
    assert "autofocus" in html.label_for("Branch").attrs
    upstream.update(1)

    response = admin_client.post(EDIT, {**data, "email": "new@abc.co.ke", "_continue": "1"})

    assert response.status_code == 302
    assert response["Location"] == EDIT
    assert messages_of(response) == ["Saved: Email."]


def test_save_and_continue_keeps_the_list_filters(admin_client, upstream, html_of):
    upstream.detail(1)
    url = EDIT + "?_changelist_filters=status%3Dactive"
    data = html_of(admin_client.get(url)).form_data("customer-form")
    upstream.update(1)

    response = admin_client.post(url, {**data, "email": "n@abc.co.ke", "_continue": "1"})

    assert response["Location"] == url
