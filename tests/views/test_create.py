"""The create form: labels, validation, the POST sent upstream, and every upstream answer."""

import pytest

from customers import submissions
from customers.models import AuditEntry, FormSubmission

pytestmark = pytest.mark.usefixtures("branches")

URL = "/customers/new/"
TYPED = {
    "branch_id": "00",
    "customer_no": "CUST003",
    "name": "XYZ Enterprises",
    "tin": "P000789012Y",
    "phone": "+254733345678",
    "email": "contact@xyz.co.ke",
    "address": "Industrial Area, Nairobi",
}


TAKEN = "The customer number CUST003 is already taken in this branch."


def post(client, **changes):
    data = {**TYPED, "submission_token": submissions.new_token(), "_save": "Save", **changes}
    return client.post(URL, {k: v for k, v in data.items() if v is not None})


def field_errors(html, name) -> str:
    return " ".join(html.by_id(f"errors-{name}").text.split())


# --- the empty form ---------------------------------------------------------------


def test_form_has_the_spec_labels(admin_client, upstream, html_of):
    response = admin_client.get(URL)

    assert response.status_code == 200
    html = html_of(response)
    for label, name in [
        ("Branch", "branch_id"),
        ("Customer number", "customer_no"),
        ("Customer name", "name"),
        ("TIN", "tin"),
        ("Phone", "phone"),
        ("Email", "email"),
        ("Address", "address"),
    ]:
        assert html.label_for(label).attrs["name"] == name, label
    assert html.find_all("input", name="is_active") == []
    assert html.label_for("Search customers").attrs["name"] == "q"
    assert upstream.calls == []


def test_branch_choices_come_from_the_local_registry(admin_client, html_of):
    html = html_of(admin_client.get(URL))

    options = [
        (o.attrs["value"], o.text)
        for o in html.find_all("option")
        if o.parent is html.label_for("Branch")
    ]
    assert options == [
        ("", "Choose a branch…"),
        ("00", "00 — Head Office"),
        ("01", "01 — Mombasa Road"),
        ("02", "02 — Kisumu"),
    ]


def test_form_carries_a_submission_token_and_both_save_buttons(admin_client, html_of):
    html = html_of(admin_client.get(URL))

    token = html.find("input", name="submission_token").attrs["value"]
    assert submissions.parse_token(token) is not None  # issued (signed) by the server
    assert html.find("input", name="_save")
    assert html.find("input", name="_addanother").attrs["value"] == "Save and add another"


# --- local validation -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("branch_id", "", "This field is required."),
        ("branch_id", "99", "Select a valid choice."),
        ("customer_no", "", "This field is required."),
        ("customer_no", "C" * 51, "at most 50 characters"),
        ("name", "", "This field is required."),
        ("name", "   ", "This field is required."),
        ("name", "N" * 256, "at most 255 characters"),
        ("tin", "P12345", "Enter a TIN of 11 characters"),
        ("tin", "X000123456Y", "Enter a TIN of 11 characters"),
        ("tin", "P0001234567", "Enter a TIN of 11 characters"),
        ("tin", "P000123456XY", "Enter a TIN of 11 characters"),
        ("phone", "12345", "Enter a valid phone number"),
        ("phone", "call me maybe", "Enter a valid phone number"),
        ("phone", "0" * 51, "at most 50 characters"),
        ("email", "not-an-email", "Enter a valid email address."),
        ("email", "a" * 250 + "@x.com", "at most 255 characters"),
        ("address", "A" * 501, "at most 500 characters"),
    ],
)
def test_invalid_input_is_refused_before_any_upstream_call(
    admin_client, upstream, html_of, field, value, error
):
    response = post(admin_client, **{field: value})

    assert response.status_code == 200
    html = html_of(response)
    assert error in field_errors(html, field)
    assert upstream.calls == []
    assert "Please correct the error below." in html.html
    typed = html.form_data("customer-form")
    for name, before in {**TYPED, field: value}.items():
        if name == "branch_id" and before == "99":
            continue  # not a choice: nothing can be shown selected
        assert typed[name] == before, name


def test_required_fields_all_at_once(admin_client, upstream, html_of):
    response = admin_client.post(URL, {"submission_token": submissions.new_token()})

    html = html_of(response)
    for name in ("branch_id", "customer_no", "name"):
        assert "This field is required." in field_errors(html, name)
    for name in ("tin", "phone", "email", "address"):
        assert field_errors(html, name) == ""
    assert "Please correct the errors below." in html.html
    assert upstream.calls == []


# --- what is sent upstream -------------------------------------------------------------


def test_post_body_sent_upstream(admin_client, upstream):
    upstream.create()

    post(admin_client)

    call = upstream.only_call("POST", "customers")
    assert upstream.json_body(call) == {
        "branch_id": "00",
        "customer_no": "CUST003",
        "custNm": "XYZ Enterprises",
        "tin": "P000789012Y",
        "phone": "+254733345678",
        "email": "contact@xyz.co.ke",
        "address": "Industrial Area, Nairobi",
    }
    assert call.headers["Authorization"] == "Bearer test-key"
    assert call.headers["Content-Type"] == "application/json"


def test_blank_optional_fields_are_left_out(admin_client, upstream):
    upstream.create()

    post(admin_client, tin="", phone="", email="", address="  ")

    assert upstream.json_body(upstream.only_call("POST", "customers")) == {
        "branch_id": "00",
        "customer_no": "CUST003",
        "custNm": "XYZ Enterprises",
    }


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("0733 345678", "+254733345678"),
        ("0733-345-678", "+254733345678"),
        ("733345678", "+254733345678"),
        ("+254 733 345 678", "+254733345678"),
        ("254733345678", "+254733345678"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_phone_is_normalised(admin_client, upstream, typed, sent):
    upstream.create()

    post(admin_client, phone=typed)

    assert upstream.json_body(upstream.only_call("POST", "customers"))["phone"] == sent


def test_tin_name_and_number_are_tidied(admin_client, upstream):
    upstream.create()

    post(admin_client, tin=" a000123456z ", name="  XYZ Enterprises ", customer_no=" CUST003 ")

    body = upstream.json_body(upstream.only_call("POST", "customers"))
    assert body["tin"] == "A000123456Z"
    assert body["custNm"] == "XYZ Enterprises"
    assert body["customer_no"] == "CUST003"


def test_success_redirects_to_the_new_customer_with_a_message(admin_client, upstream, messages_of):
    upstream.create()

    response = post(admin_client)

    assert response.status_code == 302
    assert response["Location"] == "/customers/3/"
    assert messages_of(response) == ["The customer “XYZ Enterprises” was added."]


def test_message_shows_on_the_next_page(admin_client, upstream):
    upstream.create()
    upstream.detail(3, name="XYZ Enterprises", customer_no="CUST003")

    response = post(admin_client)
    page = admin_client.get(response["Location"])

    assert "The customer “XYZ Enterprises” was added." in page.content.decode()


def test_save_and_add_another(admin_client, upstream, messages_of):
    upstream.create()

    response = post(admin_client, _save=None, _addanother="Save and add another")

    assert response.status_code == 302
    assert response["Location"] == URL + "?branch_id=00"  # the next one starts in this branch
    assert messages_of(response) == ["The customer “XYZ Enterprises” was added."]


# --- the upstream refuses ---------------------------------------------------------------


def test_upstream_400_errors_are_shown_beside_their_fields(admin_client, upstream, html_of):
    upstream.invalid(
        "POST",
        "customers",
        errors={
            "custNm": ["The custNm may not be greater than 255 characters."],
            "customer_no": ["The customer_no has already been taken."],
            "tin": ["The tin format is invalid."],
        },
    )
    upstream.search([])

    response = post(admin_client)

    assert response.status_code == 200
    html = html_of(response)
    assert field_errors(html, "name") == "The custNm may not be greater than 255 characters."
    assert field_errors(html, "customer_no") == TAKEN
    assert field_errors(html, "tin") == "The tin format is invalid."
    assert field_errors(html, "phone") == ""
    typed = html.form_data("customer-form")
    assert {k: typed[k] for k in TYPED} == TYPED
    assert len(upstream.calls_to("POST", "customers")) == 1


def test_the_documented_400_example(admin_client, upstream, html_of):
    upstream.invalid("POST", "customers")
    upstream.search([])

    html = html_of(post(admin_client))

    assert field_errors(html, "customer_no") == TAKEN
    assert field_errors(html, "tin") == "The tin format is invalid."
    assert "Please correct the errors below." in html.html


def test_upstream_400_on_an_unknown_field_or_without_details(admin_client, upstream, html_of):
    upstream.on(
        "POST",
        "customers",
        status=400,
        json={
            "status": "error",
            "message": "Validation failed",
            "errors": {"metadata": ["The metadata must be an object."]},
        },
    )
    upstream.on(
        "POST", "customers", status=400, json={"status": "error", "message": "Validation failed"}
    )

    first = html_of(post(admin_client))
    second = html_of(post(admin_client))

    nonfield = " ".join(first.find("ul", class_="nonfield").text.split())
    assert nonfield == "metadata: The metadata must be an object."
    assert " ".join(second.find("ul", class_="nonfield").text.split()) == "Validation failed"
    typed = second.form_data("customer-form")
    assert {k: typed[k] for k in TYPED} == TYPED


def test_upstream_409_is_shown_on_the_customer_number(admin_client, upstream, html_of):
    upstream.conflict("POST", "customers")
    upstream.search([])

    response = post(admin_client)

    assert response.status_code == 200
    html = html_of(response)
    assert field_errors(html, "customer_no") == TAKEN
    assert "probably saved" not in html.html  # a clerk who typed a taken number: one message
    assert "already" not in html.find("p", class_="errornote").text
    typed = html.form_data("customer-form")
    assert {k: typed[k] for k in TYPED} == TYPED


def test_upstream_409_links_to_the_customer_found_by_tin_or_name(admin_client, upstream, html_of):
    """The upstream cannot search by number: the TIN typed, then the name, find the holder."""
    upstream.conflict("POST", "customers")
    upstream.search([upstream.hit(1, id=7, customer_no="CUST0031", name="Other")])  # by TIN
    upstream.search(
        [
            upstream.hit(1, id=7, customer_no="CUST0031", name="Other"),
            upstream.hit(0, id=3, customer_no="CUST003", name="XYZ Enterprises Ltd"),
        ]
    )  # by name

    html = html_of(post(admin_client))

    assert field_errors(html, "customer_no") == (
        "The customer number CUST003 is already taken by XYZ Enterprises Ltd (CUST003)."
    )
    link = html.find("a", href="/customers/3/")
    assert link.text == "XYZ Enterprises Ltd (CUST003)"
    searches = [upstream.params(r) for r in upstream.calls_to("GET", "customers/search")]
    assert searches == [
        {"q": "P000789012Y", "branch_id": "00", "limit": "50"},
        {"q": "XYZ Enterprises", "branch_id": "00", "limit": "50"},
    ]


def test_upstream_400_taken_number_is_one_message_with_the_link(admin_client, upstream, html_of):
    upstream.invalid(
        "POST", "customers", errors={"customer_no": ["The customer_no has already been taken."]}
    )
    upstream.search([upstream.hit(0, id=3, customer_no="CUST003", name="XYZ Enterprises")])

    html = html_of(post(admin_client))

    assert field_errors(html, "customer_no") == (
        "The customer number CUST003 is already taken by XYZ Enterprises (CUST003)."
    )
    assert html.html.count("already") == 1


def test_upstream_409_when_the_search_fails_too(admin_client, upstream, html_of, fault):
    upstream.conflict("POST", "customers")
    upstream.fail("GET", "customers/search", fault)

    response = post(admin_client)

    assert response.status_code == 200
    html = html_of(response)
    assert field_errors(html, "customer_no") == TAKEN
    assert html.find_all("a", href="/customers/3/") == []


def test_a_resend_after_a_lost_answer_was_probably_saved(
    admin_client, upstream, html_of, fault_named
):
    """Only the same form sent again after its answer was lost hears "probably saved"."""
    upstream.fail("POST", "customers", fault_named("read-timeout"))
    upstream.conflict("POST", "customers")
    upstream.search([upstream.hit(0, id=3, customer_no="CUST003", name="XYZ Enterprises")])
    token = submissions.new_token()

    first = post(admin_client, submission_token=token)
    resent = html_of(first).form_data("customer-form")
    second = html_of(admin_client.post(URL, {**resent, "_save": "Save"}))

    assert first.status_code == 504
    assert resent["submission_token"] == token
    assert field_errors(second, "customer_no") == (
        "The customer number CUST003 is already taken: this form was probably saved the first "
        "time, when its answer was lost. See XYZ Enterprises (CUST003)."
    )
    outcomes = list(AuditEntry.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes == [AuditEntry.UNKNOWN, AuditEntry.FAILURE]


def test_upstream_failure_keeps_the_form_and_explains(
    admin_client, upstream, html_of, fault, assert_safe
):
    upstream.fail("POST", "customers", fault)

    response = post(admin_client)

    assert response.status_code == fault.status
    body = assert_safe(response)
    assert "<html" in body
    html = html_of(response)
    form = html.find("form", id="customer-form")
    message = " ".join(html.find("p", class_="upstream-error-message", within=form).text.split())
    assert fault.says in message
    assert "Nothing was saved; your input is still here." in message
    typed = html.form_data("customer-form")
    assert {k: typed[k] for k in TYPED} == TYPED
    assert len(upstream.calls_to("POST", "customers")) == 1  # a write is never retried
    assert upstream.calls_to("GET", "customers/search") == []


def test_after_a_failure_the_same_form_can_be_sent_again(admin_client, upstream, html_of):
    upstream.on("POST", "customers", status=503, json={"status": "error", "message": "down"})
    upstream.create()
    token = submissions.new_token()

    first = post(admin_client, submission_token=token)
    resent = html_of(first).form_data("customer-form")
    second = admin_client.post(URL, {**resent, "_save": "Save"})

    assert first.status_code == 503
    assert resent["submission_token"] == token
    assert second.status_code == 302
    assert second["Location"] == "/customers/3/"
    assert len(upstream.calls_to("POST", "customers")) == 2


# --- double submits -----------------------------------------------------------------


def test_double_submit_sends_one_post(admin_client, upstream, html_of, messages_of):
    upstream.create()
    form = html_of(admin_client.get(URL)).form_data("customer-form")
    data = {**form, **TYPED, "_save": "Save"}

    first = admin_client.post(URL, data)
    second = admin_client.post(URL, data)

    assert first.status_code == 302 and first["Location"] == "/customers/3/"
    assert second.status_code == 302 and second["Location"] == "/customers/3/"
    assert "already sent" in messages_of(second)[-1]
    assert len(upstream.calls_to("POST", "customers")) == 1


def test_submit_while_the_first_is_still_saving(admin_client, upstream, messages_of):
    token = submissions.new_token()
    # the first POST, still waiting upstream
    FormSubmission.objects.create(token=submissions.parse_token(token))

    response = post(admin_client, submission_token=token)

    assert response.status_code == 302
    assert response["Location"] == "/customers/"
    assert "already being saved" in messages_of(response)[-1]
    assert upstream.calls == []


def test_different_tokens_are_different_submissions(admin_client, upstream):
    upstream.create()
    upstream.create(id=4, customer_no="CUST004")

    post(admin_client)
    post(admin_client, customer_no="CUST004")

    assert len(upstream.calls_to("POST", "customers")) == 2


# --- checking one field as the user leaves it ---------------------------------------------


def test_live_field_check(admin_client, upstream):
    bad = admin_client.post(
        "/customers/validate/tin/", {"tin": "P12"}, headers={"HX-Request": "true"}
    )
    good = admin_client.post(
        "/customers/validate/phone/", {"phone": "0712 345678"}, headers={"HX-Request": "true"}
    )
    unknown = admin_client.post("/customers/validate/branch_id/", {"branch_id": "x"})

    assert bad.status_code == 200
    assert "<html" not in bad.content.decode()
    assert "Enter a TIN of 11 characters" in bad.content.decode()
    assert 'id="errors-tin"' in bad.content.decode()
    assert "errorlist" not in good.content.decode()
    assert unknown.status_code == 404
    assert upstream.calls == []
