"""Forms: the customer form (create/edit) and the filters of the list and history."""

from __future__ import annotations

import re

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError

from . import phones
from .request_numbers import MAX_PAGE, ascii_int

TIN_PATTERN = re.compile(r"^[AP]\d{9}[A-Z]$")
PER_PAGE_CHOICES = (25, 50, 100)
STATUS_CHOICES = [("", "All"), ("active", "Active"), ("inactive", "Inactive")]
TYPE_CHOICES = [("", "All types"), ("sales", "Sales"), ("purchases", "Purchases")]
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


def normalise_phone(value: str) -> str:
    """A phone number in E.164 (`+2547…`), Kenya the default region; raises ValidationError."""
    number = phones.parse(value)
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            "Enter a valid phone number, e.g. 0712 345678 or +254 712 345678.", code="phone"
        )
    return phones.stored_form(number)


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
    """The edit form: only what the user changed is validated and sent.

    A stored value today's rules refuse (an old phone number) is pointed out with a
    warning beside its field (`field.stale_warning`) and never blocks saving another.
    """

    is_active = forms.BooleanField(label="Active", required=False)

    def __init__(self, *args, stored: dict | None = None, **kwargs):
        """`stored`: the record's values as loaded (defaults to `initial`)."""
        super().__init__(*args, **kwargs)
        self.stored = dict(self.initial if stored is None else stored)
        for field in self.fields.values():
            field.show_hidden_initial = True  # what the form showed, to diff against
        for name, message in self.stale_values().items():
            if not self.is_bound or self._untouched(name):
                self.fields[name].stale_warning = message

    def stale_values(self) -> dict[str, str]:
        """{field: warning} for the values the form showed that today's rules refuse."""
        shown = self.shown_values(normalised=False) if self.is_bound else self.stored
        warnings = {}
        for name in LIVE_FIELDS:
            value = shown.get(name)
            if not value:
                continue
            _value, errors = CustomerForm({name: value}, branches=[]).clean_field(name)
            if errors:
                warnings[name] = (
                    f"The stored {STORED_NAMES[name]} no longer passes today's checks; "
                    f"it is kept as it is unless you change it. ({' '.join(errors)})"
                )
        return warnings

    def clean(self):
        data = super().clean()
        shown = self.shown_values(normalised=False)
        for name in [n for n in self.errors if n in LIVE_FIELDS and self._untouched(n)]:
            self.errors.pop(name)  # an untouched stored value is not checked again
            data[name] = shown.get(name) or ""
        return data

    def _untouched(self, name: str) -> bool:
        raw = self.fields[name].widget.value_from_datadict(self.data, self.files, name)
        shown = self.shown_values(normalised=False).get(name)
        return str(raw or "").strip() == str(shown or "").strip()

    def shown_values(self, *, normalised: bool = True) -> dict:
        """The values the form showed when it was opened (sent back as hidden inputs).

        Comparing with these, not with the record as it is now, keeps a change someone
        else saved meanwhile from being overwritten by a field this user did not touch.
        Without them (an old page), the record as loaded is the reference.
        """
        values = {}
        for name, field in self.fields.items():
            key = self.add_initial_prefix(name)
            if key not in self.data:
                values[name] = self.stored.get(name)
                continue
            raw = field.hidden_widget().value_from_datadict(self.data, self.files, key)
            if name == "is_active":
                values[name] = str(raw).lower() in ("true", "1", "on")
            elif normalised and name in LIVE_FIELDS:
                values[name] = _tidied(name, raw)
            else:
                values[name] = raw or ""
        return values

    def changes(self, initial: dict | None = None) -> dict:
        """The cleaned fields whose value differs from what the form showed."""
        initial = self.shown_values() if initial is None else initial
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


def _tidied(name: str, raw) -> str:
    """A shown value as the form would clean it; as it was when today's rules refuse it."""
    value, errors = CustomerForm({name: raw or ""}, branches=[]).clean_field(name)
    return (raw or "") if errors else value


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
