"""Recently viewed customers, per user, in Django's shared cache (the same on every instance).

Recorded when a customer's detail page is shown; read back filtered by the branches
the user may see today, so a customer of a branch taken away never shows.
"""

from __future__ import annotations

from django.core.cache import cache

from .access import allowed_branches, in_branches

SHOWN = 8  # offered in the quick search, latest first
KEPT = 20  # kept, so that filtering by branch still leaves SHOWN
KEEP_SECONDS = 60 * 60 * 24 * 30


def _key(user) -> str:
    return f"ctax:recently-viewed:{user.pk}"


def record(user, customer) -> None:
    """Remember that `user` opened `customer` (a CustomerDetail)."""
    if not user.is_authenticated:
        return
    entry = {
        "id": customer.id,
        "customer_no": customer.customer_no,
        "name": customer.name,
        "tin": customer.tin,
        "phone": customer.phone,
        "branch_id": customer.branch_id,
    }
    earlier = [e for e in cache.get(_key(user), []) if e.get("id") != customer.id]
    cache.set(_key(user), [entry, *earlier][:KEPT], KEEP_SECONDS)


def viewed_by(user) -> list[dict]:
    """The last customers `user` opened, latest first, only of branches they may see."""
    allowed = allowed_branches(user)
    entries = cache.get(_key(user), [])
    return [e for e in entries if in_branches(allowed, e.get("branch_id", ""))][:SHOWN]
