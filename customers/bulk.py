"""The list's actions on ticked customers: mark active or inactive, export as CSV.

`apply_status` is the one place that writes: it reads each customer (for its branch
and current state), sends `PUT /customers/{id}` with only `{"is_active": …}`, and
audits each write as the edit form does. It runs a few customers at a time through
`_fan_out`, the one call site to swap for a shared, budgeted fan-out.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings

from . import audit, services, writes
from .access import CHANGE, EXPORT, allowed_branches, in_branches
from .models import AuditEntry
from .request_numbers import ascii_int
from .upstream.errors import UpstreamError

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

DONE, FAILED, ALREADY, REFUSED = "done", "failed", "already", "refused"


@dataclass(frozen=True, slots=True)
class Outcome:
    customer_id: int
    status: str  # DONE, FAILED, ALREADY or REFUSED
    name: str = ""
    customer_no: str = ""
    reason: str = ""

    @property
    def text(self) -> str:
        return {
            DONE: "Done",
            ALREADY: "Already so: nothing sent",
            REFUSED: "Not changed: not one of your branches",
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
    """Run the calls a few at a time; each returns its own outcome (never raises)."""
    if len(calls) <= 1:
        return [call() for call in calls]
    with ThreadPoolExecutor(max_workers=AT_ONCE, thread_name_prefix="ctax-bulk") as pool:
        return list(pool.map(lambda call: call(), calls))


def read_customers(user, ids: list[int]) -> list:
    """Each ticked customer's detail, or an Outcome saying why it cannot be acted on.

    Only the HTTP runs in worker threads; the branch checks (the database) stay here.
    """

    def read(customer_id: int):
        try:
            return services.get_customer(customer_id=customer_id)
        except UpstreamError as exc:
            return Outcome(customer_id, FAILED, reason=exc.message)

    found = _fan_out([lambda cid=cid: read(cid) for cid in ids[:MAX_CUSTOMERS]])
    allowed = allowed_branches(user)
    return [
        item
        if isinstance(item, Outcome) or in_branches(allowed, item.branch_id)
        else Outcome(item.id, REFUSED)
        for item in found
    ]


def apply_status(user, ids: list[int], *, is_active: bool) -> list[Outcome]:
    """Set is_active on each customer the user may change; one PUT each.

    As every write (see `writes`): each attempt is audited before it is sent (a customer
    whose entry cannot be recorded is not written), and its entry completed after.
    """
    outcomes: dict[int, Outcome] = {}
    to_write = []
    for item in read_customers(user, ids):
        if isinstance(item, Outcome):
            outcomes[item.customer_id] = item
        elif item.is_active == is_active:
            outcomes[item.id] = Outcome(item.id, ALREADY, item.name, item.customer_no)
        elif (entry := writes.begin_attempt(user, None, _attempt(item, is_active))) is None:
            outcomes[item.id] = Outcome(
                item.id, FAILED, item.name, item.customer_no, writes.NOT_RECORDED_MESSAGE
            )
        else:
            to_write.append((item, entry))
    answers = _fan_out([lambda c=c: _put(c.id, is_active) for c, _entry in to_write])
    for (customer, entry), answer in zip(to_write, answers, strict=True):
        failed = isinstance(answer, UpstreamError)
        if failed:
            writes.finish_attempt(entry, error=answer)
        else:
            writes.finish_attempt(entry, request_id=answer.request_id)
        outcomes[customer.id] = Outcome(
            customer.id,
            FAILED if failed else DONE,
            customer.name,
            customer.customer_no,
            answer.message if failed else "",
        )
    return [outcomes[customer_id] for customer_id in ids[:MAX_CUSTOMERS]]


def _put(customer_id: int, is_active: bool):
    """The write: the upstream's answer, or the error it gave (returned, not raised)."""
    try:
        return services.update_customer(customer_id=customer_id, changes={"is_active": is_active})
    except UpstreamError as exc:
        return exc


def _attempt(customer, is_active: bool) -> writes.Attempt:
    changes = audit.diff({"is_active": customer.is_active}, {"is_active": is_active})
    return writes.Attempt(
        AuditEntry.UPDATE, customer.id, customer.customer_no, customer.branch_id, changes
    )
