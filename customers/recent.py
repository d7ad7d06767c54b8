"""Recently viewed customers, per user, in Django's shared cache (the same on every instance).

Recorded when a customer's detail page is shown; read back through
`selectors.recently_viewed`, which keeps only the branches the user may see today, so a
customer of a branch taken away never shows. An entry
holds the id, number and name shown, and the branch (for that filter, never shown):
no TIN, no phone. The list is emptied at logout, an entry lasts no longer than a
login (CTAX_SESSION_HOURS), and one that answers "not found" when opened is dropped.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.core.cache import cache
from django.dispatch import receiver

SHOWN = 8  # offered in the quick search, latest first
KEPT = 20  # kept, so that filtering by branch still leaves SHOWN


def _key(user) -> str:
    return f"ctax:recently-viewed:{user.pk}"


def _lifetime() -> float:
    return float(settings.CTAX_SESSION_HOURS) * 3600


def _entries(user) -> list[dict]:
    """The stored entries still within a login's length (older ones are never shown)."""
    oldest = time.time() - _lifetime()
    return [e for e in cache.get(_key(user), []) if e.get("at", 0) >= oldest]


def record(user, customer) -> None:
    """Remember that `user` opened `customer` (a CustomerDetail)."""
    if not user.is_authenticated:
        return
    entry = {
        "id": customer.id,
        "customer_no": customer.customer_no,
        "name": customer.name,
        "branch_id": customer.branch_id,
        "at": time.time(),
    }
    earlier = [e for e in _entries(user) if e.get("id") != customer.id]
    cache.set(_key(user), [entry, *earlier][:KEPT], int(_lifetime()) or 1)


def forget(user, customer_id: int) -> None:
    """Drop a customer that answered "not found" (deleted, moved to another branch)."""
    if not getattr(user, "is_authenticated", False):
        return
    entries = cache.get(_key(user), [])
    kept = [e for e in entries if e.get("id") != customer_id]
    if len(kept) != len(entries):
        cache.set(_key(user), kept, int(_lifetime()) or 1)


def viewed_by(user) -> list[dict]:
    """The last customers `user` opened, latest first, whatever their branch (see
    `selectors.recently_viewed` for what may be shown)."""
    return _entries(user)


@receiver(user_logged_out, dispatch_uid="customers.recent.clear_at_logout")
def clear_at_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        cache.delete(_key(user))
