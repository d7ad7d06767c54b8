"""Section "Changes made here": the branch's audit trail, filtered by user and dates."""

from __future__ import annotations

from django import forms

from ..models import AuditEntry

LIMIT = 200  # rows shown; the CSV has them all


class ChangesFilter(forms.Form):
    user = forms.ChoiceField(label="User", required=False)
    from_date = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    to_date = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, branch_code: str, **kwargs):
        super().__init__(*args, **kwargs)
        names = (
            AuditEntry.objects.filter(branch_id=branch_code)
            .order_by("username")
            .values_list("username", flat=True)
            .distinct()
        )
        self.fields["user"].choices = [("", "Everyone"), *((n, n) for n in names)]

    def clean(self):
        data = super().clean()
        start, end = data.get("from_date"), data.get("to_date")
        if start and end and start > end:
            self.add_error("to_date", "The To date is before the From date.")
        return data


def changes(branch_code: str, form: ChangesFilter):
    """The branch's audit entries, newest first, as the (valid) form filters them."""
    entries = AuditEntry.objects.filter(branch_id=branch_code)
    if not form.is_valid():
        return entries.none()
    data = form.cleaned_data
    if data.get("user"):
        entries = entries.filter(username=data["user"])
    if data.get("from_date"):
        entries = entries.filter(created_at__date__gte=data["from_date"])
    if data.get("to_date"):
        entries = entries.filter(created_at__date__lte=data["to_date"])
    return entries
