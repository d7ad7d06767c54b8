"""The list's actions on ticked customers: mark active or inactive, export as CSV.

`apply_status` reads each customer (`selectors.customers_for`: its branch and current
state), then writes through `services.update_each` (the one write protocol: form token,
audit, one `PUT /customers/{id}` with only `{"is_active": …}` each, outcome). Reads and
writes run a few at a time within the page's one `fanout.Budget`: a write the deadline
passed before it started is never sent (and said so); one already started is waited for.

A customer of another branch and one that does not exist read the same on every page
of an action ("not found"), whatever the request carries.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings

from . import selectors, services
from .access import CHANGE, EXPORT
from .fanout import Budget, NotLoaded, page_deadline_seconds
from .request_numbers import ascii_int
from .upstream.client import CALL_DEADLINE_FACTOR
from .upstream.errors import NotFound, TooManyCalls, UpstreamError, UpstreamTimeout

MAX_CUSTOMERS = 25  # per action


@dataclass(frozen=True, slots=True)
class Action:
    label: str
    perm: str
    is_active: bool | None = None  # the state a change action sets; None: not a change


ACTIONS = {
    "mark_inactive": Action("Mark as inactive", CHANGE, is_active=False),
    "mark_active": Action("Mark as active", CHANGE, is_active=True),
    "export_csv": Action("Export selected as CSV", EXPORT),
}

DONE, FAILED, ALREADY, MISSING = "done", "failed", "already", "missing"


@dataclass(frozen=True, slots=True)
class Outcome:
    customer_id: int
    status: str  # DONE, FAILED, ALREADY or MISSING (not found, or not of the user's branches)
    name: str = ""
    customer_no: str = ""
    reason: str = ""
    error: UpstreamError | None = field(default=None, compare=False)  # why it failed

    @property
    def text(self) -> str:
        return {
            DONE: "Done",
            ALREADY: "Already so: nothing sent",
            MISSING: "Not found: nothing sent",
            FAILED: f"Failed: {self.reason}",
        }[self.status]


def parse_ids(raw: list[str]) -> list[int]:
    """The ticked customer IDs, each once, in the order given; anything else is dropped."""
    ids = []
    for value in raw:
        number = ascii_int(value)
        if number is not None and number not in ids:
            ids.append(number)
    return ids


def seconds_at_most(count: int) -> int:
    """What the confirmation page says a change of `count` customers may take at worst:
    the page's deadline, then the longest a write started just before it may take."""
    if not count:
        return 0
    return math.ceil(
        page_deadline_seconds() + CALL_DEADLINE_FACTOR * float(settings.CTAX_API_TIMEOUT)
    )


NOT_SENT = "Not sent: this page ran out of time before it could be. Please try again."


def _write_all(sends: list[Callable], budget: Budget) -> list:
    """The writes side by side within `budget` (their audit entries are open, so each gets
    an answer: a share that cannot pay for them all, or a write the deadline passed
    before it started, is answered as refused)."""
    try:
        answers = budget.gather_writes(*sends)
    except TooManyCalls as exc:
        return [exc] * len(sends)
    return [UpstreamError(NOT_SENT) if isinstance(a, NotLoaded) else a for a in answers]


def read_customers(user, ids: list[int], *, budget: Budget | None = None) -> list:
    """Each ticked customer's detail, or an Outcome saying why it cannot be acted on."""
    wanted = ids[:MAX_CUSTOMERS]
    found = selectors.customers_for(user=user, customer_ids=wanted, budget=budget or Budget())
    return [_readable(customer_id, item) for customer_id, item in zip(wanted, found, strict=True)]


def _readable(customer_id: int, item):
    if isinstance(item, NotFound):  # or of a branch the user may not see
        return Outcome(customer_id, MISSING)
    if isinstance(item, UpstreamError):
        return Outcome(customer_id, FAILED, reason=item.message, error=item)
    if isinstance(item, NotLoaded):
        return Outcome(customer_id, FAILED, reason=UpstreamTimeout().message)
    return item


@dataclass(frozen=True, slots=True)
class Applied:
    outcomes: list[Outcome]
    refusal: services.WriteOutcome | None = None  # the form was not accepted: nothing sent


def apply_status(user, ids: list[int], *, is_active: bool, token: str | None) -> Applied:
    """Set is_active on each customer the user may change, under the form's token."""
    budget = Budget()  # the page's one deadline, for the reads and the writes
    outcomes: dict[int, Outcome] = {}
    to_write = []
    for item in read_customers(user, ids, budget=budget):
        if isinstance(item, Outcome):
            outcomes[item.customer_id] = item
        elif item.is_active == is_active:
            outcomes[item.id] = Outcome(item.id, ALREADY, item.name, item.customer_no)
        else:
            to_write.append(item)
    refusal, written = services.update_each(
        user=user,
        changes_of=[(customer, {"is_active": is_active}) for customer in to_write],
        token=token,
        run=lambda sends: _write_all(sends, budget),
    )
    if refusal is not None:
        return Applied([], refusal)
    for customer, outcome in zip(to_write, written, strict=True):
        outcomes[customer.id] = _outcome_of(customer, outcome)
    return Applied([outcomes[customer_id] for customer_id in ids[:MAX_CUSTOMERS]])


def _outcome_of(customer, outcome: services.WriteOutcome) -> Outcome:
    if outcome.ok:
        return Outcome(customer.id, DONE, customer.name, customer.customer_no)
    if isinstance(outcome.error, NotFound):  # gone since it was read
        return Outcome(customer.id, MISSING)
    reason = outcome.error.message if outcome.error else services.NOT_RECORDED_MESSAGE
    return Outcome(
        customer.id, FAILED, customer.name, customer.customer_no, reason, error=outcome.error
    )


# --- ticks kept for the list's next full page -------------------------------------------

_TICKED = "ctax:ticked"
TICKS_KEPT = 100  # the longest page of the list


def keep_ticked(session, ids: list[int]) -> None:
    """The list shown next (a full page) starts with these customers ticked."""
    if ids:
        session[_TICKED] = [int(i) for i in ids[:TICKS_KEPT]]
    else:
        session.pop(_TICKED, None)


def take_ticked(session) -> frozenset[int]:
    """The customers to show ticked, once."""
    return frozenset(session.pop(_TICKED, None) or [])
