"""The customer form on its own: TIN and phone normalise as typed (`to_python`); the edit
form validates and sends only Django's `changed_data`, diffed against what it showed."""

import pytest
from django.core.exceptions import ValidationError

from customers.forms import CustomerEditForm, CustomerForm, PhoneField, TinField
from tests.doc_examples import DOC_LIST

BRANCHES = [("00", "00 — Head Office"), ("01", "01 — Mombasa Road")]
STALE_PHONE = "+254192375643"  # stored years ago; today's rules refuse it
FIELDS = ("branch_id", "customer_no", "name", "tin", "phone", "email", "address", "is_active")
STORED = {name: DOC_LIST["data"][0][name] for name in FIELDS}  # the documentation's CUST001


def as_posted(shown: dict, **typed) -> dict:
    """What the page built from `shown` sends back: the fields (edited) and their
    `initial-<field>` hidden inputs; an unticked checkbox is not sent."""
    data = {f"initial-{name}": str(value) for name, value in shown.items()}
    fields = {**shown, **typed}
    data.update({name: value for name, value in fields.items() if value is not False})
    return data


def edit_form(data=None, stored=None):
    return CustomerEditForm(data, initial=stored or STORED, branches=BRANCHES)


# --- the fields --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "value"),
    [("p000 123 456x", "P000123456X"), (" A000123456Z\t", "A000123456Z"), ("", ""), (None, "")],
)
def test_a_tin_is_upper_cased_without_spaces(typed, value):
    assert TinField(required=False).to_python(typed) == value


def test_a_tin_of_the_wrong_shape_is_refused_once_normalised():
    field = TinField(required=False)

    assert field.clean("p000123456x") == "P000123456X"
    with pytest.raises(ValidationError, match="Enter a TIN of 11 characters"):
        field.clean("P12")


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("0712 345678", "+254712345678"),
        ("+254 712 345 678", "+254712345678"),
        ("254712345678", "+254712345678"),
        ("0712-345-678 ", "+254712345678"),
        ("+44 20 7946 0958", "+442079460958"),
        ("", ""),
        (None, ""),
    ],
)
def test_a_phone_is_kept_in_e164_kenya_the_default_region(typed, value):
    assert PhoneField(required=False).to_python(typed) == value


@pytest.mark.parametrize("typed", ["12", "not a phone", STALE_PHONE])
def test_a_phone_that_is_no_valid_number_is_left_as_typed_and_refused(typed):
    field = PhoneField(required=False)

    assert field.to_python(f" {typed} ") == typed  # never raises: it compares as itself
    with pytest.raises(ValidationError, match="Enter a valid phone number"):
        field.clean(typed)


def test_the_create_form_validates_every_field():
    form = CustomerForm(
        {"branch_id": "00", "customer_no": " C1 ", "name": "N", "phone": STALE_PHONE, "tin": "x"},
        branches=BRANCHES,
    )

    assert not form.is_valid()
    assert set(form.errors) == {"phone", "tin"}
    assert form.cleaned_data["customer_no"] == "C1"


# --- the edit form's changes --------------------------------------------------------------


def test_an_unchanged_stale_phone_is_not_validated_nor_sent_but_pointed_out():
    stored = {**STORED, "phone": STALE_PHONE}

    form = edit_form(as_posted(stored, address="Ngong Road, Nairobi"), stored)

    assert form.is_valid(), form.errors
    assert form.changed_data == ["address"]
    assert form.changes() == {"address": "Ngong Road, Nairobi"}
    assert "no longer passes today's checks" in form.fields["phone"].stale_warning


def test_a_changed_stale_phone_is_validated():
    stored = {**STORED, "phone": STALE_PHONE}

    form = edit_form(as_posted(stored, phone="+254192375644"), stored)

    assert not form.is_valid()
    assert form.changed_data == ["phone"]
    assert "Enter a valid phone number" in form.errors["phone"][0]
    assert not hasattr(form.fields["phone"], "stale_warning")  # the typed value is the user's


def test_a_stale_value_is_pointed_out_when_the_form_opens():
    form = edit_form(stored={**STORED, "phone": STALE_PHONE, "email": "old@@example"})

    assert form.fields["phone"].stale_warning and form.fields["email"].stale_warning
    assert not hasattr(form.fields["tin"], "stale_warning")


def test_the_same_values_typed_differently_are_no_change():
    data = as_posted(STORED, phone="0712 345 678", tin="p000 123456x", name=" ABC Trading Ltd ")

    form = edit_form(data)

    assert form.is_valid(), form.errors
    assert form.changed_data == []


def test_changed_values_are_sent_cleaned_in_the_forms_order():
    data = as_posted(STORED, email="", tin="a000123456z", branch_id="01", is_active=False)

    form = edit_form(data)

    assert form.is_valid(), form.errors
    assert form.changes() == {
        "branch_id": "01",
        "tin": "A000123456Z",
        "email": "",
        "is_active": False,
    }


def test_the_diff_is_against_what_the_form_showed_not_the_record_now():
    now = {**STORED, "phone": "+254700000001"}  # a colleague changed the phone since

    form = edit_form(as_posted(STORED, name="New name"), stored=now)

    assert form.is_valid(), form.errors
    assert form.changes() == {"name": "New name"}


def test_without_the_hidden_inputs_the_record_read_is_the_reference():
    data = {k: v for k, v in as_posted(STORED, email="x@y.co.ke").items() if "initial-" not in k}

    form = edit_form(data)

    assert form.is_valid(), form.errors
    assert form.changes() == {"email": "x@y.co.ke"}


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        (TinField(max_length=20), "P 0 0 0 1 2 3 4 5 6 X  "),
        (PhoneField(max_length=50), "0712" + " " * 45 + "345678"),
    ],
)
def test_the_length_limit_holds_for_the_text_as_typed(field, typed):
    assert field.to_python(typed) == typed.strip()
    with pytest.raises(ValidationError, match="at most"):
        field.clean(typed)
