"""Writes to the upstream, always in one order: form token → audit → upstream write → outcome.

Views (the forms, the list's bulk actions) call `create_customer`, `update_customer`
and `delete_customer` and read the `WriteOutcome`; they never claim tokens, audit
or call the upstream's write functions themselves.

- The form token (optional) is claimed first: a repeat of the same form is answered
  `ALREADY_SENT` and nothing is written twice. It is completed after a successful
  write and released in every other path, so the same form can be sent again.
- The attempt is recorded in the audit trail ("pending") before the upstream write;
  if it cannot be recorded, nothing is sent (`NOT_RECORDED`). It is completed after.
- Each function checks the user's permission (PermissionDenied, with what was
  refused) and branch (`services.NotFound`, as for a customer that does not exist).
"""

from __future__ import annotations

import dataclasses
import enum
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError

from . import audit, duplicates, services, submissions
from .access import ADD, CHANGE, DELETE, may_see_branch
from .models import AuditEntry

logger = logging.getLogger("customers.writes")

NOT_RECORDED_MESSAGE = (
    "ctaxoffice could not record this change in its audit trail (its database is busy "
    "or not answering), so nothing was sent. Please try again in a moment."
)
REFUSED = {
    ADD: "You don't have permission to add customers.",
    CHANGE: "You don't have permission to edit customers.",
    DELETE: "You don't have permission to delete customers.",
}


class Result(enum.StrEnum):
    SAVED = "saved"
    UNCHANGED = "unchanged"  # an update with nothing to change: nothing sent
    REFUSED = "refused"  # the upstream said no or failed: see `error`
    NOT_RECORDED = "not_recorded"  # the attempt could not be audited: nothing sent
    ALREADY_SENT = "already_sent"  # this form token was used before: nothing sent


@dataclass(frozen=True, slots=True)
class WriteOutcome:
    result: Result
    customer_id: int | None = None
    customer: services.CustomerDetail | None = None  # as the upstream answered a save
    error: services.UpstreamError | None = None
    request_id: str | None = None
    number_taken: bool = False  # refused: the customer number is already taken
    existing: services.SearchHit | None = None  # who holds that number, when found
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


def create_customer(
    *, user, values: dict[str, Any], token: uuid.UUID | None = None
) -> WriteOutcome:
    """POST a new customer (`values` under the form's field names)."""
    _require(user, ADD)
    branch_id = str(values.get("branch_id") or "")
    if not may_see_branch(user, branch_id):
        raise PermissionDenied(f"You may not add customers to branch {branch_id}.")
    attempt = Attempt(
        AuditEntry.CREATE, None, values.get("customer_no", ""), branch_id, audit.diff({}, values)
    )
    outcome = _write(user, token, attempt, lambda: services.create_customer(values=values))
    return _with_holder(user, outcome, values=values, branch_id=branch_id)


def update_customer(
    *, user, customer, changes: dict[str, Any], token: uuid.UUID | None = None
) -> WriteOutcome:
    """PUT only `changes` ({field: new value}) to `customer` (a detail or a list row).

    E.g. the list's bulk action: update_customer(user=u, customer=row,
    changes={"is_active": False}).
    """
    _require(user, CHANGE)
    _require_visible(user, customer)
    new_branch = changes.get("branch_id")
    if new_branch and not may_see_branch(user, str(new_branch)):
        raise PermissionDenied(f"You may not move customers to branch {new_branch}.")
    if not changes:
        return WriteOutcome(Result.UNCHANGED, customer_id=customer.id)
    before = {name: getattr(customer, name, None) for name in changes}
    attempt = Attempt(
        AuditEntry.UPDATE,
        customer.id,
        customer.customer_no,
        customer.branch_id,
        audit.diff(before, changes),
    )
    outcome = _write(
        user,
        token,
        attempt,
        lambda: services.update_customer(customer_id=customer.id, changes=changes),
    )
    values = {"customer_no": customer.customer_no, "name": customer.name, "tin": customer.tin}
    values.update(changes)
    branch_id = str(new_branch or customer.branch_id)
    return _with_holder(user, outcome, values=values, branch_id=branch_id, own_id=customer.id)


def delete_customer(*, user, customer, token: uuid.UUID | None = None) -> WriteOutcome:
    """Soft-delete `customer`; its audit entry keeps its branch for the not-found page."""
    _require(user, DELETE)
    _require_visible(user, customer)
    attempt = Attempt(AuditEntry.DELETE, customer.id, customer.customer_no, customer.branch_id, {})
    return _write(user, token, attempt, lambda: services.delete_customer(customer_id=customer.id))


# --- the one order of every write ------------------------------------------------------


def _write(user, token, attempt: Attempt, send: Callable) -> WriteOutcome:
    try:
        earlier = submissions.claim(token)
    except DatabaseError:
        logger.exception("Form token could not be claimed; nothing was sent upstream")
        return WriteOutcome(Result.NOT_RECORDED)
    if earlier is not None:
        return WriteOutcome(Result.ALREADY_SENT, customer_id=earlier.customer_id or None)
    saved_id = None
    try:
        entry = begin_attempt(user, token, attempt)
        if entry is None:
            return WriteOutcome(Result.NOT_RECORDED)
        try:
            result = send()
        except services.UpstreamError as exc:
            finish_attempt(entry, error=exc)
            return _refused(entry, exc)
        except Exception:
            finish_attempt(
                entry, error=services.BadResponse("ctaxoffice failed during this write.")
            )
            raise
        customer = result.customer
        saved_id = customer.id if customer else attempt.customer_id
        finish_attempt(
            entry,
            request_id=result.request_id,
            customer_id=saved_id,
            customer_no=customer.customer_no if customer else None,
        )
        return WriteOutcome(
            Result.SAVED, customer_id=saved_id, customer=customer, request_id=result.request_id
        )
    finally:
        _settle_token(token, saved_id)


def begin_attempt(user, token, attempt: Attempt) -> AuditEntry | None:
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


def finish_attempt(entry: AuditEntry, **outcome) -> None:
    """Complete the entry; if even that fails the write stands and the entry stays pending."""
    try:
        audit.finish(entry, **outcome)
    except DatabaseError:
        logger.exception("Audit entry %s could not be completed; it stays pending", entry.pk)


def _settle_token(token, saved_id: int | None) -> None:
    try:
        if saved_id is not None:
            submissions.complete(token, saved_id)
        else:
            submissions.release(token)
    except DatabaseError:
        logger.exception("Form token could not be settled")


def _refused(entry: AuditEntry, exc: services.UpstreamError) -> WriteOutcome:
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


def is_number_taken(exc: services.UpstreamError) -> bool:
    """A 409, or a 400 whose `customer_no` message says the number is taken."""
    if isinstance(exc, services.Conflict):
        return True
    if isinstance(exc, services.ValidationFailed):
        messages = " ".join(exc.errors.get("customer_no", [])).lower()
        return any(word in messages for word in ("taken", "already", "exists"))
    return False


def _with_holder(user, outcome: WriteOutcome, *, values, branch_id, own_id=None) -> WriteOutcome:
    if not outcome.number_taken:
        return outcome
    holder = duplicates.holder_of_number(
        user=user,
        branch_id=branch_id,
        customer_no=str(values.get("customer_no") or ""),
        hints=[values.get("tin"), values.get("name")],
        exclude_id=own_id,
    )
    if holder is None:
        return outcome
    return dataclasses.replace(outcome, existing=holder)


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied(REFUSED[perm])


def _require_visible(user, customer) -> None:
    if not may_see_branch(user, customer.branch_id):
        raise services.NotFound()
