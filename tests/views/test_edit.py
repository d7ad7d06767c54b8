"""The edit form: initial values, a PUT of only what changed, and every upstream answer.

The POSTs are built from the rendered form (its `initial-<field>` hidden inputs too), as a
browser would send them.
"""

import pytest

pytestmark = pytest.mark.usefixtures("branches")

URL = "/customers/1/edit/"


@pytest.fixture
def opened(admin_client, upstream, html_of):
    """open(**detail fields) -> the form's data as rendered for the customer."""

    def open_form(**fields) -> dict[str, str]:
        upstream.detail(1, **fields)
        response = admin_client.get(URL)
        assert response.status_code == 200
        return html_of(response).form_data("customer-form")

    return open_form


def put_bodies(upstream):
    return [upstream.json_body(r) for r in upstream.calls_to("PUT", "customers/1")]


def test_form_shows_the_record(admin_client, upstream, html_of):
    upstream.detail(1)

    response = admin_client.get(URL)

    html = html_of(response)
    assert html.label_for("Branch").attrs["name"] == "branch_id"
    assert html.label_for("Customer number").attrs["value"] == "CUST001"
    assert html.label_for("Customer name").attrs["value"] == "ABC Trading Ltd"
    assert html.label_for("TIN").attrs["value"] == "P000123456X"
    assert html.label_for("Phone").attrs["value"] == "+254712345678"
    assert html.label_for("Email").attrs["value"] == "info@abctrading.co.ke"
    assert html.label_for("Address").text.strip() == "Moi Avenue, Nairobi"
    assert "checked" in html.label_for("Active").attrs
    data = html.form_data("customer-form")
    assert data["branch_id"] == "00"
    assert data["initial-name"] == "ABC Trading Ltd"
    assert data["initial-is_active"] == "True"
    assert html.find_all("input", name="_addanother") == []
    assert "/customers/1/" in html.hrefs()  # cancel
    upstream.only_call("GET", "customers/1")


def test_blank_optional_fields_show_empty(admin_client, upstream, html_of):
    upstream.detail(1, tin=None, email=None, address=None)

    data = html_of(admin_client.get(URL)).form_data("customer-form")

    assert data["tin"] == data["email"] == data["address"] == ""


def test_only_the_changed_field_is_sent(admin_client, upstream, opened, messages_of):
    data = opened()
    upstream.update(1)

    response = admin_client.post(URL, {**data, "phone": "0712 999999"})

    assert response.status_code == 302
    assert response["Location"] == "/customers/1/"
    assert put_bodies(upstream) == [{"phone": "+254712999999"}]
    assert messages_of(response) == ["Saved: Phone."]


def test_name_is_sent_as_custnm(admin_client, upstream, opened):
    data = opened()
    upstream.update(1)

    admin_client.post(
        URL,
        {
            **data,
            "name": "ABC Trading Ltd - Updated",
            "address": "New Location, Westlands, Nairobi",
        },
    )

    assert put_bodies(upstream) == [
        {"custNm": "ABC Trading Ltd - Updated", "address": "New Location, Westlands, Nairobi"}
    ]


def test_several_changes_and_the_branch(admin_client, upstream, opened, messages_of):
    data = opened()
    upstream.update(1)

    response = admin_client.post(
        URL, {**data, "branch_id": "01", "email": "new@abc.co.ke", "tin": "a000123456z"}
    )

    assert put_bodies(upstream) == [
        {"branch_id": "01", "email": "new@abc.co.ke", "tin": "A000123456Z"}
    ]
    assert messages_of(response) == ["Saved: Branch, TIN, Email."]


def test_clearing_an_optional_field_sends_null(admin_client, upstream, opened):
    data = opened()
    upstream.update(1)

    admin_client.post(URL, {**data, "email": "", "tin": "  "})

    assert put_bodies(upstream) == [{"tin": None, "email": None}]


def test_nothing_changed_sends_nothing(admin_client, upstream, opened, messages_of):
    data = opened()

    response = admin_client.post(URL, data)

    assert response.status_code == 302
    assert response["Location"] == "/customers/1/"
    assert upstream.calls_to("PUT", "customers/1") == []
    assert messages_of(response) == ["Nothing was changed, so nothing was saved."]


def test_the_same_values_typed_differently_are_no_change(
    admin_client, upstream, opened, messages_of
):
    data = opened()

    response = admin_client.post(
        URL, {**data, "phone": "0712 345 678", "tin": "p000123456x", "name": " ABC Trading Ltd "}
    )

    assert upstream.calls_to("PUT", "customers/1") == []
    assert messages_of(response) == ["Nothing was changed, so nothing was saved."]


def test_switching_active_off(admin_client, upstream, opened, messages_of):
    data = opened()
    del data["is_active"]  # an unticked checkbox is not sent
    upstream.update(1, is_active=False)

    response = admin_client.post(URL, data)

    assert put_bodies(upstream) == [{"is_active": False}]
    assert messages_of(response) == ["Saved: Active."]


def test_switching_active_on(admin_client, upstream, opened):
    data = opened(is_active=False)
    assert "is_active" not in data
    assert data["initial-is_active"] == "False"
    upstream.update(1, is_active=True)

    admin_client.post(URL, {**data, "is_active": "on"})

    assert put_bodies(upstream) == [{"is_active": True}]


def test_inactive_left_inactive_is_no_change(admin_client, upstream, opened):
    data = opened(is_active=False)

    admin_client.post(URL, data)

    assert upstream.calls_to("PUT", "customers/1") == []


def test_a_change_saved_meanwhile_by_someone_else_is_not_overwritten(
    admin_client, upstream, opened
):
    data = opened()  # the form shows phone +254712345678
    upstream.rsps.reset()
    upstream.detail(1, phone="+254700000001")  # a colleague changed the phone since
    upstream.update(1)

    admin_client.post(URL, {**data, "name": "ABC Trading Ltd - Updated"})

    assert put_bodies(upstream) == [{"custNm": "ABC Trading Ltd - Updated"}]


def test_without_hidden_initials_the_record_is_the_reference(admin_client, upstream, opened):
    data = {k: v for k, v in opened().items() if not k.startswith("initial-")}
    upstream.update(1)

    admin_client.post(URL, {**data, "email": "x@y.co.ke"})

    assert put_bodies(upstream) == [{"email": "x@y.co.ke"}]


def test_a_branch_not_in_the_local_registry_is_kept(admin_client, upstream, opened):
    data = opened(branch_id="07", branch_name="Nakuru")
    assert data["branch_id"] == "07"

    admin_client.post(URL, data)

    assert upstream.calls_to("PUT", "customers/1") == []


def test_invalid_input_is_refused_and_kept(admin_client, upstream, opened, html_of):
    data = opened()

    response = admin_client.post(URL, {**data, "tin": "P12", "phone": "12", "name": ""})

    assert response.status_code == 200
    html = html_of(response)
    assert "Enter a TIN of 11 characters" in html.text_of("errors-tin")
    assert "Enter a valid phone number" in html.text_of("errors-phone")
    assert "This field is required." in html.text_of("errors-name")
    kept = html.form_data("customer-form")
    assert (kept["tin"], kept["phone"], kept["name"]) == ("P12", "12", "")
    assert kept["initial-phone"] == "+254712345678"
    assert upstream.calls_to("PUT", "customers/1") == []


def test_upstream_400_errors_beside_the_fields(admin_client, upstream, opened, html_of):
    data = opened()
    upstream.invalid(
        "PUT",
        "customers/1",
        errors={
            "custNm": ["The custNm field is invalid."],
            "tin": ["The tin format is invalid."],
        },
    )

    response = admin_client.post(URL, {**data, "name": "Bad name", "tin": "A000123456Z"})

    assert response.status_code == 200
    html = html_of(response)
    assert html.text_of("errors-name") == "The custNm field is invalid."
    assert html.text_of("errors-tin") == "The tin format is invalid."
    kept = html.form_data("customer-form")
    assert (kept["name"], kept["tin"]) == ("Bad name", "A000123456Z")
    assert kept["initial-name"] == "ABC Trading Ltd"  # still diffed against what was shown


def test_upstream_409_on_the_customer_number(admin_client, upstream, opened, html_of):
    data = opened()
    upstream.conflict("PUT", "customers/1")

    response = admin_client.post(URL, {**data, "customer_no": "CUST002"})

    html = html_of(response)
    assert html.text_of("errors-customer_no") == (
        "The customer number CUST002 is already taken in this branch."
    )
    assert html.form_data("customer-form")["customer_no"] == "CUST002"


def test_upstream_failure_keeps_the_input(
    admin_client, upstream, opened, html_of, fault, assert_safe
):
    data = opened()
    upstream.fail("PUT", "customers/1", fault)
    typed = {**data, "phone": "0712 999999", "address": "New Location, Westlands"}
    del typed["is_active"]

    response = admin_client.post(URL, typed)

    assert response.status_code == fault.status
    assert_safe(response)
    html = html_of(response)
    form = html.find("form", id="customer-form")
    message = " ".join(html.find("p", class_="upstream-error-message", within=form).text.split())
    assert fault.says in message
    assert "Nothing was saved" in message
    kept = html.form_data("customer-form")
    assert kept["phone"] == "0712 999999"
    assert kept["address"] == "New Location, Westlands"
    assert "is_active" not in kept
    assert kept["initial-phone"] == "+254712345678"
    assert len(upstream.calls_to("PUT", "customers/1")) == 1


def test_record_cannot_be_loaded_when_saving_keeps_the_input(
    admin_client, upstream, opened, html_of, fault, assert_safe
):
    data = opened()
    upstream.rsps.reset()
    upstream.fail("GET", "customers/1", fault)

    response = admin_client.post(URL, {**data, "phone": "0712 999999"})

    assert response.status_code == fault.status
    assert_safe(response)
    html = html_of(response)
    form = html.find("form", id="customer-form")
    message = " ".join(html.find("p", class_="upstream-error-message", within=form).text.split())
    assert fault.says in message
    kept = html.form_data("customer-form")
    fields = [k for k in data if k not in ("csrfmiddlewaretoken", "submission_token")]
    assert {k: kept[k] for k in fields} == {k: data[k] for k in fields} | {"phone": "0712 999999"}
    assert upstream.calls_to("PUT", "customers/1") == []


def test_customer_deleted_while_editing(admin_client, upstream, opened, html_of):
    data = opened()
    upstream.not_found("PUT", "customers/1")

    response = admin_client.post(URL, {**data, "phone": "0712 999999"})

    assert response.status_code == 404
    assert "Customer not found" in response.content.decode()
    assert html_of(response).form_data("customer-form")["phone"] == "0712 999999"


def test_unknown_customer_is_a_404(admin_client, upstream, assert_safe):
    upstream.not_found("GET", "customers/999")

    get = admin_client.get("/customers/999/edit/")
    post = admin_client.post("/customers/999/edit/", {"name": "x"})

    assert get.status_code == post.status_code == 404
    assert "Customer not found" in assert_safe(get)
    assert upstream.calls_to("PUT", "customers/999") == []
