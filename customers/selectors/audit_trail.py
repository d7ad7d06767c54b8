"""Reads of our own audit trail, scoped to the user who asks (as every read in
`customers.selectors`): a customer's latest changes, and who deleted a customer.

The trail itself is written by `customers.audit`, only from the writes' protocol
(`customers.services`).
"""

from __future__ import annotations

from ..access import AUDIT, may_see_branch
from ..models import AuditEntry


def deletion_of(*, user, customer_id: int) -> AuditEntry | None:
    """The successful delete of this customer made through ctaxoffice, if `user` may know of it.

    Whether the user may is judged by the branch recorded at delete time (the customer
    cannot be read any more), as for a live customer: another branch's deleted customer
    stays indistinguishable from an id that never existed.
    """
    entry = (
        AuditEntry.objects.filter(
            customer_id=customer_id, action=AuditEntry.DELETE, outcome=AuditEntry.SUCCESS
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if entry is None or not may_see_branch(user, entry.branch_id):
        return None
    return entry


def trail_for(*, user, customer_id: int, limit: int = 50) -> list[AuditEntry] | None:
    """The customer's latest changes made here, for a user who may read the audit trail;
    None for anyone else (the page then leaves the section out)."""
    if not user.has_perm(AUDIT):
        return None
    return list(AuditEntry.objects.filter(customer_id=customer_id)[:limit])
