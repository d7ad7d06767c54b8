"""The customer list: request parameters turned into one upstream query (cf. ChangeList).

The one owner of the list's query: the page, its htmx fragment, the CSV export and the
background export all read the customers through a `CustomerChangeList`, so a filter, a
branch the user may not name (a notice, never a 404) and the rows of other branches
(never shown) are handled once.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.http import urlencode

from . import columns, phones
from .access import allowed_branches, branch_options, branch_registry, in_branches
from .forms import PER_PAGE_CHOICES, STATUS_CHOICES, parse_page_number
from .people_search import SEARCH_MAX
from .preserved_filters import carried
from .reports import fetching
from .upstream.door import get_client
from .upstream.types import CustomerSummary, Page, PageMeta

logger = logging.getLogger("customers.access")

PER_PAGE_OPTIONS = [(str(n), str(n)) for n in PER_PAGE_CHOICES]
BRANCH_ID = re.compile(r"^[A-Za-z0-9_.-]{1,20}$")


@dataclass
class CustomerChangeList:
    search: str = ""
    branch_id: str = ""
    status: str = ""
    per_page: int = 25
    page_number: int = 1
    allowed_branches: list[str] | None = None
    branch_choices: list[tuple[str, str]] = field(default_factory=list)
    result: Page[CustomerSummary] | None = None
    branch_names: dict[str, str] = field(default_factory=dict)
    query_string: str = ""  # the list's own, carried to records and back
    notices: list[str] = field(default_factory=list)
    refused_branch: str = ""  # a branch asked for that the user may not name (see notices)
    dropped_rows: int = 0
    ticked: frozenset[int] = frozenset()  # rows whose checkbox starts ticked

    status_choices = STATUS_CHOICES
    per_page_choices = PER_PAGE_OPTIONS
    columns = columns.LIST_COLUMNS

    @classmethod
    def for_user(cls, *, user, params) -> CustomerChangeList:
        """The filters of `params` (a QueryDict) within the branches `user` may name."""
        return cls.from_params(
            params,
            branches=branch_options(user),
            allowed=allowed_branches(user),
            names=branch_registry(user),
        )

    @classmethod
    def from_params(
        cls,
        params,
        *,
        branches: list[tuple[str, str]] | None,
        allowed: list[str] | None,
        names: dict[str, str],
    ) -> CustomerChangeList:
        """Read the filters from the query string, as given; what cannot be used is told.

        `branches`: the (code, label) choices; `allowed`: the codes the user may name (None:
        every one); `names`: every registered branch's name, by code."""
        allowed_branches = allowed
        branch_choices = [("", "All branches")] if allowed_branches is None else []
        branch_choices += branches or []
        notices: list[str] = []
        branch_id = _branch(params.get("branch_id"), allowed_branches, notices)
        asked = (params.get("branch_id") or "").strip()
        refused = asked if asked and not branch_id and BRANCH_ID.fullmatch(asked) else ""
        if branch_id and all(branch_id != value for value, _ in branch_choices):
            name = names.get(branch_id)
            label = f"{branch_id} — {name}" if name else f"{branch_id} (not registered here)"
            branch_choices.append((branch_id, label))
        per_page = _choice(params.get("per_page"), PER_PAGE_OPTIONS)
        status = _choice(params.get("status"), STATUS_CHOICES)
        if params.get("status") and not status:
            notices.append(
                f"“{params['status'][:30]}” is not a status: showing active and inactive customers."
            )
        return cls(
            search=_search(params.get("search")),
            branch_id=branch_id,
            status=status,
            per_page=int(per_page) if per_page else 25,
            page_number=parse_page_number(params.get("page")),
            allowed_branches=allowed_branches,
            branch_choices=branch_choices,
            branch_names=names,
            query_string=params.urlencode(),
            notices=notices,
            refused_branch=refused,
        )

    @property
    def export_fields(self) -> list[tuple[str, str]]:
        """The form fields a background export of this list is asked with: its filters as
        given (the export reads them back through a ChangeList of its own)."""
        return [("search", self.search), ("branch_id", self.branch_id), ("status", self.status)]

    @property
    def preserved_filters(self) -> str:
        """The filters carried on links to a record, so "back to list" keeps them."""
        return carried(self.query_string)

    @property
    def upstream_branch(self) -> str | None:
        """The branch asked for; a user limited to branches gets their first by default."""
        if self.branch_id:
            return self.branch_id
        return self.allowed_branches[0] if self.allowed_branches else None

    @property
    def upstream_search(self) -> str | None:
        """The search as sent: a phone-like one as the digits the stored number holds."""
        return phones.search_text(self.search) if self.search else None

    @property
    def has_no_branch(self) -> bool:
        return self.allowed_branches == []

    @property
    def is_filtered(self) -> bool:
        return bool(self.search or self.branch_id or self.status)

    def load(self) -> CustomerChangeList:
        if self.has_no_branch:  # nothing to show, and nothing to ask the upstream
            self.result = Page(
                items=[],
                meta=PageMeta(total=0, per_page=self.per_page, current_page=1, last_page=1),
            )
            return self
        self.result = self._page(self.page_number)
        meta = self.result.meta
        if meta.total and self.page_number > meta.last_page:  # page 99 of 13: show the last
            self.page_number = meta.last_page
            self.result = self._page(meta.last_page)
        self._drop_foreign_rows()
        return self

    @property
    def upstream_filters(self) -> dict[str, str | None]:
        """The list's query as the upstream takes it, but the page: built here only."""
        return {
            "search": self.upstream_search,
            "branch_id": self.upstream_branch,
            "status": self.status or None,
        }

    def page_loader(self, *, per_page: int) -> Callable[[int], Page[CustomerSummary]]:
        """Page `number` of every matching customer, `per_page` a page (for the exports)."""
        return lambda number: get_client().list_customers(
            **self.upstream_filters, page=number, per_page=per_page
        )

    def export_pages(self, *, per_page: int) -> Iterator[Page[CustomerSummary]]:
        """Every page of the matching customers, read ahead in order (the streamed CSV).

        The first page is read now: its failure is still an error page, not a broken file."""
        if self.has_no_branch:
            return iter(())
        load = self.page_loader(per_page=per_page)
        return fetching.iter_pages(load(1), load)

    def visible_rows(self, customers: Iterable[CustomerSummary]) -> list[CustomerSummary]:
        """The customers of the user's branches (even if the upstream ignored the filter)."""
        return [c for c in customers if in_branches(self.allowed_branches, c.branch_id)]

    def csv_rows(self, customers: Iterable[CustomerSummary]) -> list[list]:
        """The visible customers as every CSV export writes them (every list column): the
        list's pages, and the customers ticked for "Export selected as CSV"."""
        ctx = columns.RowContext(detail_prefix="", branch_names=self.branch_names)
        return [columns.csv_row(c, ctx) for c in self.visible_rows(customers)]

    def _page(self, number: int) -> Page[CustomerSummary]:
        return self.page_loader(per_page=self.per_page)(number)

    def _drop_foreign_rows(self) -> None:
        """Rows of a branch this user may not see never show, even if the upstream sent them."""
        if self.allowed_branches is None:
            return
        kept = self.visible_rows(self.result.items)
        self.dropped_rows = len(self.result.items) - len(kept)
        if self.dropped_rows:
            logger.warning(
                "list: dropped %d row(s) of branches outside %s (asked branch %s)",
                self.dropped_rows,
                self.allowed_branches,
                self.upstream_branch,
            )
            self.result = Page(items=kept, meta=self.result.meta)

    @property
    def export_query(self) -> str:
        """The filters (not the page) for the CSV export of every matching customer."""
        filters = {"search": self.search, "branch_id": self.branch_id, "status": self.status}
        return "?" + urlencode({key: value for key, value in filters.items() if value})

    def row_context(self) -> columns.RowContext:
        return columns.RowContext(
            detail_prefix=reverse("customers:list"),
            filters_suffix=self.preserved_filters,
            branch_names=self.branch_names,
            ticked=self.ticked,
        )


def _search(raw: str | None) -> str:
    text = (raw or "").strip()
    return "" if len(text) > SEARCH_MAX or "\x00" in text else text


def _branch(raw: str | None, allowed: list[str] | None, notices: list[str]) -> str:
    """Any well-formed branch ID for an administrator; one of their own for everyone else."""
    code = (raw or "").strip()
    if not code:
        return ""
    if not BRANCH_ID.fullmatch(code):
        notices.append("That branch ID is not valid (letters, digits, - and _; up to 20).")
        return ""
    if in_branches(allowed, code):
        return code
    if allowed:
        own = ", ".join(allowed)
        notices.append(
            f"Branch “{code}” is not one of your branches ({own}): showing {allowed[0]} instead."
        )
    else:
        notices.append(f"Branch “{code}” is not one of your branches.")
    return ""


def _choice(raw: str | None, choices: list[tuple[str, str]]) -> str:
    return raw if raw and any(raw == value for value, _ in choices) else ""
