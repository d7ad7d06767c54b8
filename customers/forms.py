"""Forms: the customer form (create/edit) and the filters of the list and history.

The customer form's fields carry the upstream's names (except `name`, sent as
`custNm`); their labels and rules are declared on `CustomerForm`. TIN and phone are
typed as people type them and cleaned to the form the upstream stores.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from . import phones
from .reports.monthly import TYPE_LABELS
from .request_numbers import MAX_PAGE, ascii_int

TIN_PATTERN = re.compile(r"^[AP]\d{9}[A-Z]$")
PER_PAGE_CHOICES = (25, 50, 100)
STATUS_CHOICES = [("", "All"), ("active", "Active"), ("inactive", "Inactive")]
TYPE_CHOICES = [("", "All types"), *TYPE_LABELS.items()]
# The fields checked one by one as the user leaves them (and whose stored values may be stale).
LIVE_FIELDS = ("customer_no", "name", "tin", "phone", "email", "address")
STORED_NAMES = {
    "customer_no": "customer number",
    "name": "customer name",
    "tin": "TIN",
    "phone": "phone number",
    "email": "email address",
    "address": "address",
}


def validate_tin(value: str) -> None:
    if not TIN_PATTERN.fullmatch(value):
        raise ValidationError(
            "Enter a TIN of 11 characters: P or A, nine digits, then a letter (e.g. P000123456X).",
            code="tin",
        )


def validate_phone(value: str) -> None:
    if phones.valid(value) is None:
        raise ValidationError(
            "Enter a valid phone number, e.g. 0712 345678 or +254 712 345678.", code="phone"
        )


class TypedTextField(forms.CharField):
    """Text as people type it, tidied by `normalise` into the form it is stored in.

    `max_length` holds for the text as typed: longer text is left as it is, for the
    length validator to refuse. `to_python` never raises, so a stored value today's
    rules refuse still compares as itself (see `CustomerEditForm`).
    """

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if not text or (self.max_length is not None and len(text) > self.max_length):
            return text
        return self.normalise(text)

    def normalise(self, text: str) -> str:
        raise NotImplementedError


class TinField(TypedTextField):
    """A KRA PIN, typed in any case with spaces: 'p000 123 456x' is 'P000123456X'."""

    default_validators = [validate_tin]

    def normalise(self, text: str) -> str:
        return re.sub(r"\s+", "", text).upper()


class PhoneField(TypedTextField):
    """A phone number in E.164 as the upstream stores it; Kenya the default region
    ('0712 345678' is '+254712345678'). Text that is no valid number is left as typed
    (trimmed), for the validator to refuse."""

    default_validators = [validate_phone]

    def normalise(self, text: str) -> str:
        number = phones.valid(text)
        return text if number is None else phones.stored_form(number)


class CustomerForm(forms.Form):
    """Add a customer: every field is validated.

    Each field normalises what was typed in `to_python` (stripped; TIN upper-cased;
    phone in E.164), so `cleaned_data` holds the values as the upstream stores them.
    """

    branch_id = forms.ChoiceField(label="Branch")
    customer_no = forms.CharField(label="Customer number", max_length=50)
    name = forms.CharField(label="Customer name", max_length=255)
    tin = TinField(
        label="TIN",
        required=False,
        max_length=20,
        help_text="Optional. 11 characters: P or A, nine digits, one letter (e.g. P000123456X).",
    )
    phone = PhoneField(
        label="Phone",
        required=False,
        max_length=50,
        help_text="Optional. Kenyan numbers may be typed as 0712 345678.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(
        label="Email",
        required=False,
        max_length=255,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    address = forms.CharField(
        label="Address", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, branches: list[tuple[str, str]] | None, **kwargs):
        """`branches`: the (code, label) choices; None takes the branch ID as typed."""
        super().__init__(*args, **kwargs)
        if branches is None:
            self.fields["branch_id"] = forms.CharField(label="Branch", max_length=20)
        else:
            self.fields["branch_id"].choices = [("", "Choose a branch…"), *branches]

    def clean_field(self, name: str) -> tuple[Any, list[str]]:
        """One field alone, by its own rules (checked as the user leaves it):
        (its cleaned value, []) or (the value as sent, the error messages)."""
        return _cleaned(self.fields[name], self[name].data)


class CustomerEditForm(CustomerForm):
    """Edit a customer: only the fields the user changed are validated and sent.

    Changes are Django's `changed_data`: each field's value as sent against the value
    the form was built with, which the page sends back as the `initial-<field>` hidden
    inputs (`show_hidden_initial`). Diffing against what the form showed, not against
    the record as it is now, keeps a change someone else saved meanwhile from being
    overwritten by a field this user did not touch. A page without those inputs is
    diffed against `initial` (the record as read for this request).

    A field left unchanged keeps its value without today's rules (its validators are
    dropped for this form); if its value breaks them (an old phone number), a warning
    beside the field says so (`field.stale_warning`), and saving another field goes on.
    """

    is_active = forms.BooleanField(label="Active", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.show_hidden_initial = (
                not self.is_bound or self.add_initial_prefix(name) in self.data
            )
        changed = self.changed_data if self.is_bound else []
        for name in [name for name in self.fields if name not in changed]:
            if name in LIVE_FIELDS:
                self._point_out_if_stale(name)
            if self.is_bound:
                self.fields[name].validators = []

    def changes(self) -> dict[str, Any]:
        """{field: cleaned value} of the changed fields, in the form's order."""
        return {name: self.cleaned_data[name] for name in self.changed_data}

    def _point_out_if_stale(self, name: str) -> None:
        field = self.fields[name]
        value = self[name].data if self.is_bound else self[name].initial
        _value, errors = _cleaned(field, value) if value else (value, [])
        if errors:
            field.stale_warning = (
                f"The stored {STORED_NAMES[name]} no longer passes today's checks; "
                f"it is kept as it is unless you change it. ({' '.join(errors)})"
            )


def _cleaned(field: forms.Field, value: Any) -> tuple[Any, list[str]]:
    try:
        return field.clean(value), []
    except ValidationError as exc:
        return value, list(exc.messages)


class TransactionFilterForm(forms.Form):
    type = forms.ChoiceField(label="Type", required=False, choices=TYPE_CHOICES)
    from_date = forms.DateField(
        label="From",
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    to_date = forms.DateField(
        label="To",
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("from_date"), data.get("to_date")
        if start and end and start > end:
            self.add_error("to_date", "The end date must be on or after the start date.")
        return data


def parse_page_number(raw: str | None) -> int:
    """A page number of ASCII digits; anything else (empty, "²", "-1", huge) is page 1."""
    return ascii_int(raw, high=MAX_PAGE) or 1
