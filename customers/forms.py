"""Forms: the customer form (create/edit) and the filters of the list and history."""

from __future__ import annotations

import re

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError

TIN_PATTERN = re.compile(r"^[AP]\d{9}[A-Z]$")
PHONE_REGION = "KE"
PER_PAGE_CHOICES = (25, 50, 100)
STATUS_CHOICES = [("", "All"), ("active", "Active"), ("inactive", "Inactive")]
TYPE_CHOICES = [("", "All types"), ("sales", "Sales"), ("purchases", "Purchases")]


def normalise_phone(value: str) -> str:
    """A phone number in E.164 (`+2547…`), Kenya the default region; raises ValidationError."""
    try:
        number = phonenumbers.parse(value, PHONE_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            "Enter a valid phone number, e.g. 0712 345678 or +254 712 345678.", code="phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_tin(value: str) -> str:
    tin = re.sub(r"\s+", "", value).upper()
    if not TIN_PATTERN.fullmatch(tin):
        raise ValidationError(
            "Enter a TIN of 11 characters: P or A, nine digits, then a letter (e.g. P000123456X).",
            code="tin",
        )
    return tin


class CustomerForm(forms.Form):
    """The fields and rules of SPEC.md; the same names the upstream uses (name → custNm)."""

    branch_id = forms.ChoiceField(label="Branch")
    customer_no = forms.CharField(label="Customer number", max_length=50)
    name = forms.CharField(label="Customer name", max_length=255)
    tin = forms.CharField(
        label="TIN",
        required=False,
        max_length=20,
        help_text="Optional. 11 characters: P or A, nine digits, one letter (e.g. P000123456X).",
    )
    phone = forms.CharField(
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

    def clean_customer_no(self) -> str:
        return self.cleaned_data["customer_no"].strip()

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean_tin(self) -> str:
        value = self.cleaned_data["tin"].strip()
        return normalise_tin(value) if value else ""

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        return normalise_phone(value) if value else ""

    def clean_address(self) -> str:
        return self.cleaned_data["address"].strip()

    def clean_field(self, name: str) -> tuple[str, list[str]]:
        """Validate one field alone (for checking as the user leaves it)."""
        field = self.fields[name]
        raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
        try:
            value = field.clean(raw)
            self.cleaned_data = {name: value}
            if hasattr(self, f"clean_{name}"):
                value = getattr(self, f"clean_{name}")()
        except ValidationError as exc:
            return raw, list(exc.messages)
        return value, []


class CustomerEditForm(CustomerForm):
    is_active = forms.BooleanField(label="Active", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.show_hidden_initial = True  # what the form showed, to diff against

    def changes(self, initial: dict) -> dict:
        """The cleaned fields whose value differs from the record as loaded."""
        changed = {}
        for name, value in self.cleaned_data.items():
            before = initial.get(name)
            if name == "is_active":
                differs = bool(before) != bool(value)
            else:
                differs = (before or "") != (value or "")
            if differs:
                changed[name] = value
        return changed


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
    try:
        return max(int(raw or 1), 1)
    except (TypeError, ValueError):
        return 1
