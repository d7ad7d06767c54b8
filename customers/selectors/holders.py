"""Who already has this customer number, TIN or phone: found through the upstream's search.

The upstream cannot search by customer number: the holder of a taken number is
looked for among the customers found by the TIN or name typed. A TIN or phone
already held is named only in the user's own branches; a match in a branch the
user may not see is reported without any detail of it. What was found as a field
was left is remembered (Django's cache, shared by every worker) so that the form,
when it comes back refused, shows the same warnings without asking again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.urls import reverse
from django.utils.html import format_html

from ..access import allowed_branches, may_see_branch
from ..upstream.client import MAX_SEARCH_LIMIT
from ..upstream.door import get_client
from ..upstream.errors import UpstreamError
from ..upstream.types import SearchHit

MIN_QUERY = 2  # the upstream's own minimum for `q`
CHECKED_FIELDS = ("tin", "phone")
REMEMBERED_SECONDS = 3600  # a warning given as a field was left is shown again this long


def holder_of_number(
    *,
    user,
    branch_id: str,
    customer_no: str,
    hints: Iterable[str | None],
    exclude_id: int | None = None,
) -> SearchHit | None:
    """The customer of `branch_id` with this number, found by searching each hint; or None."""
    if not customer_no or not may_see_branch(user, branch_id):
        return None
    for hint in hints:
        if not hint or len(str(hint).strip()) < MIN_QUERY:
            continue
        for hit in _search(str(hint).strip(), branch_id) or []:
            if hit.customer_no == customer_no and hit.id != exclude_id:
                return hit
    return None


@dataclass(frozen=True, slots=True)
class Holders:
    named: list[SearchHit]  # in the user's branches
    elsewhere: bool  # someone in a branch the user may not see


def holders_of(*, user, field: str, value: str) -> Holders:
    """The customers that already have this TIN or phone number (`value` as cleaned)."""
    if field not in CHECKED_FIELDS or len(value) < MIN_QUERY:
        return Holders([], False)
    branches = allowed_branches(user)
    if branches is None:  # an administrator sees every branch: one search covers it
        return Holders(_matching(_search(value, None) or [], field, value), False)
    seen: dict[int, SearchHit] = {}
    complete = True
    for branch_id in branches:
        hits = _search(value, branch_id)
        complete = complete and hits is not None
        seen.update((hit.id, hit) for hit in hits or [])
    named = _matching(seen.values(), field, value)
    if not complete:  # a holder missed in our branches must not pass for another branch's
        return Holders(named, False)
    # Only whether one exists is used from this search: nothing of it is shown.
    others = _matching(_search(value, None) or [], field, value)
    return Holders(named, any(hit.id not in seen for hit in others))


def check_field(*, user, field: str, value: str) -> list[str]:
    """The warnings for a field just left (`value` as cleaned), remembered for the form."""
    holders = holders_of(user=user, field=field, value=value)
    cache.set(_memory_key(user, field, value), holders, REMEMBERED_SECONDS)
    return warnings_for(holders, field)


def warnings_given(*, user, values: dict) -> dict[str, list[str]]:
    """{field: warnings} given as each field was left with the value it still holds."""
    given = {}
    for field in CHECKED_FIELDS:
        value = values.get(field)
        holders = cache.get(_memory_key(user, field, value)) if value else None
        if holders is not None:
            given[field] = warnings_for(holders, field)
    return given


def _memory_key(user, field: str, value: str) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"ctax:duplicates:{user.pk}:{field}:{digest}"


def warnings_for(holders: Holders, field: str) -> list[str]:
    """Warnings for the form, each customer named with its number and linked."""
    what = "TIN" if field == "tin" else "phone number"
    warnings = [
        format_html(
            'Customer <a href="{}">{} ({})</a> already has this {}. You can still save.',
            reverse("customers:detail", args=[hit.id]),
            hit.name,
            hit.customer_no,
            what,
        )
        for hit in holders.named
    ]
    if holders.elsewhere:
        warnings.append(
            format_html(
                "A customer in another branch already has this {}. You can still save.", what
            )
        )
    return warnings


def _search(q: str, branch_id: str | None) -> list[SearchHit] | None:
    """The hits, or None when the search failed (a check that cannot run warns of nothing)."""
    try:
        return get_client().search_customers(q=q, branch_id=branch_id, limit=MAX_SEARCH_LIMIT)
    except UpstreamError:
        return None


def _matching(hits, field: str, value: str) -> list[SearchHit]:
    wanted = _comparable(field, value)
    return [hit for hit in hits if _comparable(field, getattr(hit, field) or "") == wanted]


def _comparable(field: str, value: str) -> str:
    if field == "phone":
        digits = re.sub(r"\D", "", value)
        return "254" + digits[1:] if digits.startswith("0") else digits
    return value.strip().upper()
