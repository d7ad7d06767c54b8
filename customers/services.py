"""Every write to the upstream, always in one order: form token → audit → upstream → outcome.

The forms' views call `create_customer`, `update_customer` and `delete_customer`, the
list's bulk actions `update_each` (through `customers.bulk`), the branch review's
dormant action `start_writes_in_background`, and read the `WriteOutcome`s; the form
token they pass (`submissions.posted`) is claimed here. No caller audits a write or
calls the client's write functions (`customers.upstream`).

- The form token (the signed string the form sent; None: not a form) is checked and
  claimed first: one the server did not issue, or issued too long ago, is answered
  `FORM_TOO_OLD`; a repeat of the same form `ALREADY_SENT`; nothing is written twice.
  It is completed once something was written and released otherwise, so the same
  form can be sent again; a database error on it is `NOT_RECORDED`, nothing sent.
- Each attempt is recorded in the audit trail ("pending") before its upstream write;
  if it cannot be recorded, it is not sent (`NOT_RECORDED`). It is completed after.
- Each function checks the user's permission and any branch the write names
  (PermissionDenied, with what was refused: `access`), and the customer's branch
  (`NotFound`, as for a customer that does not exist: `selectors.visible`).
"""

from __future__ import annotations

import dataclasses
import enum
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError

from . import audit, selectors, submissions
from .access import ADD, CHANGE, DELETE, refuse_unless_allowed, refuse_unless_branch_allowed
from .models import AuditEntry
from .selectors import holders
from .upstream.door import get_client
from .upstream.errors import BadResponse, Conflict, NotFound, UpstreamError, ValidationFailed
from .upstream.types import CustomerDetail, SearchHit

logger = logging.getLogger("customers.writes")

NOT_RECORDED_MESSAGE = (
    "ctaxoffice could not record this change in its audit trail (its database is busy "
    "or not answering), so nothing was sent. Please try again in a moment."
)


class Result(enum.StrEnum):
    SAVED = "saved"
    UNCHANGED = "unchanged"  # an update with nothing to change: nothing sent
    REFUSED = "refused"  # the upstream said no or failed: see `error`
    NOT_RECORDED = "not_recorded"  # the attempt could not be audited: nothing sent
    ALREADY_SENT = "already_sent"  # this form token was used before: nothing sent
    FORM_TOO_OLD = "form_too_old"  # a token not issued here, or expired: nothing sent


@dataclass(frozen=True, slots=True)
class WriteOutcome:
    result: Result
    customer_id: int | None = None
    customer: CustomerDetail | None = None  # as the upstream answered a save
    error: UpstreamError | None = None
    request_id: str | None = None
    number_taken: bool = False  # refused: the customer number is already taken
    existing: SearchHit | None = None  # who holds that number, when found
    probably_saved_before: bool = False  # ...by this same form, whose answer was lost

    @property
    def ok(self) -> bool:
        return self.result in (Result.SAVED, Result.UNCHANGED)


@dataclass(frozen=True, slots=True)
class Attempt:
    action: str
    customer_id: int | None
    customer_no: str
    branch_id: str
    changes: dict


def create_customer(*, user, values: dict[str, Any], token: str | None = None) -> WriteOutcome:
    """POST a new customer (`values` under the form's field names)."""
    refuse_unless_allowed(user, ADD)
    branch_id = str(values.get("branch_id") or "")
    refuse_unless_branch_allowed(user, branch_id, doing="add customers to")
    attempt = Attempt(
        AuditEntry.CREATE, None, values.get("customer_no", ""), branch_id, audit.diff({}, values)
    )
    outcome = _write(user, token, attempt, lambda: get_client().create_customer(values=values))
    return _with_holder(user, outcome, values=values, branch_id=branch_id)


def update_customer(
    *, user, customer, changes: dict[str, Any], token: str | None = None
) -> WriteOutcome:
    """PUT only `changes` ({field: new value}) to `customer` (a detail or a list row)."""
    refuse_unless_allowed(user, CHANGE)
    selectors.visible(user, customer)
    new_branch = changes.get("branch_id")
    if new_branch:
        refuse_unless_branch_allowed(user, str(new_branch), doing="move customers to")
    if not changes:
        return WriteOutcome(Result.UNCHANGED, customer_id=customer.id)
    outcome = _write(user, token, *_update_job(customer, changes))
    values = {"customer_no": customer.customer_no, "name": customer.name, "tin": customer.tin}
    values.update(changes)
    branch_id = str(new_branch or customer.branch_id)
    return _with_holder(user, outcome, values=values, branch_id=branch_id, own_id=customer.id)


def update_each(
    *, user, changes_of: Sequence[tuple[Any, dict[str, Any]]], token: str | None = None, run=None
) -> tuple[WriteOutcome | None, list[WriteOutcome]]:
    """PUT each customer's changes under one form token (the list's bulk action).

    (the form's refusal or None, one outcome per customer in order). A customer of a
    branch the user may not see is refused as not found, and never sent. `run` calls
    the writes, e.g. a few side by side (see `_write_all`).
    """
    refuse_unless_allowed(user, CHANGE)
    jobs, hidden = [], {}
    for index, (customer, changes) in enumerate(changes_of):
        try:
            jobs.append(_update_job(selectors.visible(user, customer), changes))
        except NotFound as hidden_customer:
            hidden[index] = WriteOutcome(Result.REFUSED, error=hidden_customer)
    refusal, written = _write_all(user, token, jobs, run)
    written = iter(written)
    outcomes = [hidden.get(index) or next(written) for index in range(len(changes_of))]
    return refusal, outcomes


def _update_job(customer, changes: dict[str, Any]) -> tuple[Attempt, Callable]:
    before = {name: getattr(customer, name, None) for name in changes}
    attempt = Attempt(
        AuditEntry.UPDATE,
        customer.id,
        customer.customer_no,
        customer.branch_id,
        audit.diff(before, changes),
    )
    return attempt, lambda: get_client().update_customer(customer.id, changes=changes)


def delete_customer(*, user, customer, token: str | None = None) -> WriteOutcome:
    """Soft-delete `customer`; its audit entry keeps its branch for the not-found page."""
    refuse_unless_allowed(user, DELETE)
    selectors.visible(user, customer)
    attempt = Attempt(AuditEntry.DELETE, customer.id, customer.customer_no, customer.branch_id, {})
    return _write(user, token, attempt, lambda: get_client().delete_customer(customer.id))


# --- the one order of every write ------------------------------------------------------


def start_writes_in_background(
    *, user, token: str | None, start: Callable[[], Any]
) -> WriteOutcome | None:
    """A form whose writes run in a background job (the branch review's dormant action):
    its token is claimed here, as any form's, before `start` enqueues the job, and
    completed once it is queued (released if it could not be). Each of the job's writes
    then goes through this protocol itself. None when started; else the form's refusal."""
    refuse_unless_allowed(user, CHANGE)
    key, refusal = _claim(token)
    if refusal is not None:
        return refusal
    try:
        start()
    except BaseException:
        _settle_token(key, [])
        raise
    _settle_token(key, [None])
    return None


def why_not_sent(refusal: WriteOutcome) -> str:
    """What the page says of a form refused before anything was sent: too old (or not
    issued here), or its attempt could not be recorded."""
    if refusal.result is Result.FORM_TOO_OLD:
        return submissions.TOO_OLD_MESSAGE
    return NOT_RECORDED_MESSAGE


def _write(user, token, attempt: Attempt, send: Callable) -> WriteOutcome:
    refusal, (outcome,) = _write_all(user, token, [(attempt, send)])
    return refusal or outcome


def _write_all(
    user, token: str | None, jobs: Sequence[tuple[Attempt, Callable]], run=None
) -> tuple[WriteOutcome | None, list[WriteOutcome]]:
    """(the form's refusal, one outcome per job): the order of every write, for one or many.

    `run` calls the sends (a list of no-argument callables) and returns their answers in
    order, e.g. a few side by side; only the HTTP runs there, the database stays here.
    """
    key, refusal = _claim(token)
    if refusal is not None:
        return refusal, [refusal] * len(jobs)
    saved: list[int | None] = []
    try:
        entries = [_begin_attempt(user, key, attempt) for attempt, _send in jobs]
        sends = [send for (_attempt, send), entry in zip(jobs, entries, strict=True) if entry]
        answers = iter((run or _in_turn)([_answering(send) for send in sends]))
        outcomes, crash = [], None
        for (attempt, _send), entry in zip(jobs, entries, strict=True):
            if entry is None:
                outcome = WriteOutcome(Result.NOT_RECORDED, customer_id=attempt.customer_id)
            else:
                outcome, crashed = _settle_attempt(entry, attempt, next(answers))
                crash = crash or crashed
            if outcome.result is Result.SAVED:
                saved.append(outcome.customer_id)
            outcomes.append(outcome)
        if crash is not None:
            raise crash
        return None, outcomes
    finally:
        _settle_token(key, saved)


def _claim(token: str | None):
    """(the token's key, None) when the form may be written; (None, why not) otherwise."""
    if token is None:
        return None, None
    key = submissions.parse_token(token)
    if key is None:
        return None, WriteOutcome(Result.FORM_TOO_OLD)
    try:
        earlier = submissions.claim(key)
    except DatabaseError:
        logger.exception("Form token could not be claimed; nothing was sent upstream")
        return None, WriteOutcome(Result.NOT_RECORDED)
    if earlier is not None:
        return None, WriteOutcome(Result.ALREADY_SENT, customer_id=earlier.customer_id or None)
    return key, None


def _in_turn(calls: list[Callable]) -> list:
    return [call() for call in calls]


def _answering(send: Callable) -> Callable:
    """`send`, returning (not raising) whatever it ends with, so every attempt is settled."""

    def call():
        try:
            return send()
        except Exception as exc:  # noqa: BLE001 - settled below, then re-raised if not upstream
            return exc

    return call


def _settle_attempt(entry: AuditEntry, attempt: Attempt, answer):
    """(the outcome, an exception to re-raise once every attempt is settled)."""
    if isinstance(answer, UpstreamError):
        _finish_attempt(entry, error=answer)
        return _refused(entry, answer), None
    if isinstance(answer, Exception):
        _finish_attempt(entry, error=BadResponse("ctaxoffice failed during this write."))
        return WriteOutcome(Result.REFUSED, customer_id=attempt.customer_id), answer
    customer = answer.customer
    saved_id = customer.id if customer else attempt.customer_id
    _finish_attempt(
        entry,
        request_id=answer.request_id,
        customer_id=saved_id,
        customer_no=customer.customer_no if customer else None,
    )
    outcome = WriteOutcome(
        Result.SAVED, customer_id=saved_id, customer=customer, request_id=answer.request_id
    )
    return outcome, None


def _begin_attempt(user, token, attempt: Attempt) -> AuditEntry | None:
    """The attempt's audit entry (pending), or None when it cannot be recorded: then
    nothing may be sent."""
    try:
        return audit.begin(
            user=user,
            action=attempt.action,
            customer_id=attempt.customer_id,
            customer_no=attempt.customer_no,
            branch_id=attempt.branch_id,
            changes=attempt.changes,
            token=token,
        )
    except DatabaseError:
        logger.exception("Audit entry could not be recorded; nothing was sent upstream")
        return None


def _finish_attempt(entry: AuditEntry, **outcome) -> None:
    """Complete the entry; if even that fails the write stands and the entry stays pending."""
    try:
        audit.finish(entry, **outcome)
    except DatabaseError:
        logger.exception("Audit entry %s could not be completed; it stays pending", entry.pk)


def _settle_token(key, saved: list[int | None]) -> None:
    """Completed once something was written; released when nothing was."""
    try:
        if saved:
            submissions.complete(key, saved[0])
        else:
            submissions.release(key)
    except DatabaseError:
        logger.exception("Form token could not be settled")


def _refused(entry: AuditEntry, exc: UpstreamError) -> WriteOutcome:
    taken = is_number_taken(exc)
    lost_before = False
    if taken:
        try:
            lost_before = audit.answer_was_lost_before(entry)
        except DatabaseError:
            logger.exception("Earlier attempts of form could not be read")
    return WriteOutcome(
        Result.REFUSED,
        customer_id=entry.customer_id,
        error=exc,
        request_id=exc.request_id,
        number_taken=taken,
        probably_saved_before=lost_before,
    )


def is_number_taken(exc: UpstreamError) -> bool:
    """A 409, or a 400 whose `customer_no` message says the number is taken."""
    if isinstance(exc, Conflict):
        return True
    if isinstance(exc, ValidationFailed):
        messages = " ".join(exc.errors.get("customer_no", [])).lower()
        return any(word in messages for word in ("taken", "already", "exists"))
    return False


def _with_holder(user, outcome: WriteOutcome, *, values, branch_id, own_id=None) -> WriteOutcome:
    if not outcome.number_taken:
        return outcome
    holder = holders.holder_of_number(
        user=user,
        branch_id=branch_id,
        customer_no=str(values.get("customer_no") or ""),
        hints=[values.get("tin"), values.get("name")],
        exclude_id=own_id,
    )
    if holder is None:
        return outcome
    return dataclasses.replace(outcome, existing=holder)
