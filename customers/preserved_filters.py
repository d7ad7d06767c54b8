"""The list's filters carried along to a record and back, in one place (as the admin's
`_changelist_filters` and its `add_preserved_filters`).

Links from the list to a record carry the list's query string in `_changelist_filters`;
the record's own links (edit, delete, back) pass it on; a link back to the list gets it
unwrapped, so the list opens with the filters it had.
"""

from __future__ import annotations

from django.http import QueryDict
from django.urls import reverse
from django.utils.http import urlencode

PARAM = "_changelist_filters"


def from_request(request) -> str:
    """The list's query string this request carries ("" if none), re-encoded as a query."""
    raw = request.GET.get(PARAM, "")
    return QueryDict(raw).urlencode() if raw else ""


def carried(filters: str) -> str:
    """`?_changelist_filters=…` for a link to a record ("" when there are no filters)."""
    return "?" + urlencode({PARAM: filters}) if filters else ""


def add_preserved_filters(url: str, filters: str) -> str:
    """`url` with the list's filters: as the list's own query for the list, carried in
    `_changelist_filters` for any other page."""
    if not filters:
        return url
    if url == reverse("customers:list"):
        return f"{url}?{filters}"
    return url + carried(filters)


def preserved_url(request, url: str) -> str:
    """`url` with the filters `request` carries (see `add_preserved_filters`)."""
    return add_preserved_filters(url, from_request(request))


def list_url(request) -> str:
    """The list, with the filters `request` carries: where "back to the list" goes."""
    return preserved_url(request, reverse("customers:list"))


def list_with(filters: str) -> str:
    """The list opened with `filters`, the list's own query string ("": unfiltered)."""
    return add_preserved_filters(reverse("customers:list"), filters)


def list_searching(query: str) -> str:
    """The list opened with a search for `query`, as typed."""
    return list_with(urlencode({"search": query}) if query else "")
