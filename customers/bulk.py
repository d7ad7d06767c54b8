"""The list's actions on ticked customers: mark active or inactive, export as CSV.

`apply_status` reads each customer (for its branch and current state), then writes
through `writes.update_each` (the one write protocol: form token, audit, one
`PUT /customers/{id}` with only `{"is_active": …}` each, outcome). It runs a few
customers at a time through `_fan_out`, the one call site to swap for a shared,
budgeted fan-out.

A customer of another branch and one that does not exist read the same on every page
of an action ("not found"), whatever the request carries.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings

from . import call_budget, services, writes
from .access import CHANGE, EXPORT, allowed_branches, in_branches
from .request_numbers import ascii_int
from .upstream.errors import NotFound, TooManyCalls, UpstreamError

MAX_CUSTOMERS = 25  # per action
AT_ONCE = 4  # customers written side by side


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
    """What the confirmation page says a change of `count` customers may take at worst."""
    rounds = math.ceil(count / AT_ONCE)
    return int(rounds * 2 * float(settings.CTAX_API_TIMEOUT))


def _fan_out(calls: list[Callable]) -> list:
    """Run the calls a few at a time, each answering in order (the reads: never raises but
    TooManyCalls, before any call is sent, when the user's share cannot pay for them all).

    The calls are paid for here, on the request's thread, and run in its context, so that
    each is charged to the user whose request made it (`call_budget`)."""
    with call_budget.prepaid(len(calls)):
        if len(calls) <= 1:
            return [call() for call in calls]
        with ThreadPoolExecutor(max_workers=AT_ONCE, thread_name_prefix="ctax-bulk") as pool:
            return list(pool.map(lambda call: call(), map(call_budget.carried, calls)))


def _write_all(sends: list[Callable]) -> list:
    """`_fan_out` for the writes, whose audit entries are open: a share that cannot pay
    for them all is every write's answer, so each entry is settled as refused."""
    try:
        return _fan_out(sends)
    except TooManyCalls as exc:
        return [exc] * len(sends)


def read_customers(user, ids: list[int]) -> list:
    """Each ticked customer's detail, or an Outcome saying why it cannot be acted on.

    Only the HTTP runs in worker threads; the branch checks (the database) stay here.
    """

    def read(customer_id: int):
        try:
            return services.get_customer(customer_id=customer_id)
        except NotFound:
            return Outcome(customer_id, MISSING)
        except UpstreamError as exc:
            return Outcome(customer_id, FAILED, reason=exc.message)

    found = _fan_out([lambda cid=cid: read(cid) for cid in ids[:MAX_CUSTOMERS]])
    allowed = allowed_branches(user)
    return [
        item
        if isinstance(item, Outcome) or in_branches(allowed, item.branch_id)
        else Outcome(item.id, MISSING)
        for item in found
    ]


@dataclass(frozen=True, slots=True)
class Applied:
    outcomes: list[Outcome]
    refusal: writes.WriteOutcome | None = None  # the form was not accepted: nothing sent


def apply_status(user, ids: list[int], *, is_active: bool, token: str | None) -> Applied:
    """Set is_active on each customer the user may change, under the form's token."""
    outcomes: dict[int, Outcome] = {}
    to_write = []
    for item in read_customers(user, ids):
        if isinstance(item, Outcome):
            outcomes[item.customer_id] = item
        elif item.is_active == is_active:
            outcomes[item.id] = Outcome(item.id, ALREADY, item.name, item.customer_no)
        else:
            to_write.append(item)
    refusal, written = writes.update_each(
        user=user,
        changes_of=[(customer, {"is_active": is_active}) for customer in to_write],
        token=token,
        run=_write_all,
    )
    if refusal is not None:
        return Applied([], refusal)
    for customer, outcome in zip(to_write, written, strict=True):
        outcomes[customer.id] = _outcome_of(customer, outcome)
    return Applied([outcomes[customer_id] for customer_id in ids[:MAX_CUSTOMERS]])


def _outcome_of(customer, outcome: writes.WriteOutcome) -> Outcome:
    if outcome.ok:
        return Outcome(customer.id, DONE, customer.name, customer.customer_no)
    if isinstance(outcome.error, NotFound):  # gone since it was read
        return Outcome(customer.id, MISSING)
    reason = outcome.error.message if outcome.error else writes.NOT_RECORDED_MESSAGE
    return Outcome(customer.id, FAILED, customer.name, customer.customer_no, reason)


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
