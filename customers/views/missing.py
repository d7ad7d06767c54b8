"""The not-found page of a customer URL: the same for every customer the user may not see.

A customer deleted through ctaxoffice still answers 404, but users who may see the
branch it was in (by its audit entry) are told who deleted it and when.
"""

from __future__ import annotations

from .. import recent
from ..rendering import render_page
from ..selectors import audit_trail
from ..upstream.errors import NotFound


def customer_not_found(request):
    """The 404 response for a customer URL (or any URL) whose customer cannot be shown.

    The customer also leaves the user's "recently viewed" list.
    """
    customer_id = _customer_id(request)
    entry = None
    if customer_id is not None:
        recent.forget(request.user, customer_id)
        entry = audit_trail.deletion_of(user=request.user, customer_id=customer_id)
    if entry is None:
        context = {"message": NotFound.default_message}
        return render_page(request, "404.html", context, partial="notice", status=404)
    context = {
        "title": "Customer deleted",
        "deletion": entry,
        "audit_entries": audit_trail.trail_for(user=request.user, customer_id=entry.customer_id),
    }
    return render_page(request, "customers/deleted.html", context, partial="notice", status=404)


def _customer_id(request) -> int | None:
    match = getattr(request, "resolver_match", None)
    customer_id = match.kwargs.get("customer_id") if match else None
    user = getattr(request, "user", None)
    if customer_id is None or user is None or not user.is_authenticated:
        return None
    return int(customer_id)
