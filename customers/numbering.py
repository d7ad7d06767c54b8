"""The next customer number of a branch, suggested on the create form.

The upstream cannot search by customer number, so a taken one is only known after
Save. The suggestion follows the numbers created through ctaxoffice in that branch
(our audit trail): the pattern (prefix and width) of the latest one, and the
highest number of that pattern, plus one: after CUST0321, CUST0322. The clerk may
change it; a number created elsewhere can still be taken, and Save says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from .models import AuditEntry

NUMBERED = re.compile(r"^(?P<prefix>.*?)(?P<digits>\d+)$")
LOOKED_AT = 500  # the branch's latest creates read: enough to know its pattern
# A create whose answer was lost may have made the number: it counts too.
CREATED = (AuditEntry.SUCCESS, AuditEntry.UNKNOWN)
DEFAULT_HINT = "Unique in its branch, at most 50 characters (e.g. CUST0001)."


@dataclass(frozen=True, slots=True)
class Suggestion:
    branch_id: str
    number: str  # the next number, e.g. CUST0322
    after: str  # the highest created here of that pattern, e.g. CUST0321

    @property
    def hint(self) -> str:
        prefix, digits = _split(self.after)
        pattern = f"{prefix} and {len(digits)} digits" if prefix else f"{len(digits)} digits"
        return (
            f"Branch {self.branch_id} numbers: {pattern}. Suggested: the next after "
            f"{self.after}, the highest made here; you may change it."
        )


def suggestions_for(branch_ids) -> dict[str, dict[str, str]]:
    """{branch ID: {"number", "hint"}} for the form's script; "" holds the default hint."""
    found = {"": {"number": "", "hint": DEFAULT_HINT}}
    for branch_id, numbers in _latest_numbers(list(branch_ids)).items():
        suggestion = _next_after(branch_id, numbers)
        if suggestion is not None:
            found[branch_id] = {"number": suggestion.number, "hint": suggestion.hint}
    return found


def _latest_numbers(branch_ids: list[str]) -> dict[str, list[str]]:
    """Each branch's latest LOOKED_AT numbers created here, newest first, in one query."""
    newest_first = [F("created_at").desc(), F("id").desc()]
    rows = (
        AuditEntry.objects.filter(
            action=AuditEntry.CREATE, outcome__in=CREATED, branch_id__in=branch_ids
        )
        .annotate(rank=Window(RowNumber(), partition_by=F("branch_id"), order_by=newest_first))
        .filter(rank__lte=LOOKED_AT)
        .order_by("branch_id", "rank")
        .values_list("branch_id", "customer_no")
    )
    numbers: dict[str, list[str]] = {}
    for branch_id, customer_no in rows:
        numbers.setdefault(branch_id, []).append(customer_no)
    return numbers


def _next_after(branch_id: str, numbers: list[str]) -> Suggestion | None:
    """The next number after the highest of the latest one's pattern; None if none is numbered."""
    numbered = [parts for parts in map(_split, numbers) if parts]
    if not numbered:
        return None
    prefix, digits = numbered[0]  # the latest: the branch's pattern today
    width = len(digits)
    highest = max(
        int(d) for p, d in numbered if p.casefold() == prefix.casefold() and len(d) == width
    )
    after = f"{prefix}{highest:0{width}d}"
    return Suggestion(branch_id=branch_id, number=f"{prefix}{highest + 1:0{width}d}", after=after)


def _split(number: str) -> tuple[str, str] | None:
    match = NUMBERED.fullmatch(number.strip())
    return (match["prefix"], match["digits"]) if match else None
