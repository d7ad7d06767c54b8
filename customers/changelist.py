"""The customer list: request parameters turned into one upstream query (cf. ChangeList)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.utils.http import urlencode

from . import services
from .access import branch_registry
from .forms import PER_PAGE_CHOICES, STATUS_CHOICES, parse_page_number
from .upstream.types import CustomerSummary, Page, PageMeta

COLUMNS = [
    ("customer_no", "Customer number"),
    ("name", "Name"),
    ("tin", "TIN"),
    ("phone", "Phone"),
    ("branch", "Branch"),
    ("is_active", "Active"),
    ("total_transactions", "Transactions"),
    ("created_at", "Created"),
]


SEARCH_MAX = 100
PER_PAGE_OPTIONS = [(str(n), str(n)) for n in PER_PAGE_CHOICES]


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
    preserved_filters: str = ""

    status_choices = STATUS_CHOICES
    per_page_choices = PER_PAGE_OPTIONS

    @classmethod
    def from_request(
        cls, request, *, branches: list[tuple[str, str]], allowed_branches: list[str] | None
    ) -> CustomerChangeList:
        """Read the filters from the query string; invalid values are dropped, as the admin does."""
        params = request.GET
        branch_choices = [("", "All branches")] if allowed_branches is None else []
        branch_choices += branches or []
        per_page = _choice(params.get("per_page"), PER_PAGE_OPTIONS)
        return cls(
            search=_search(params.get("search")),
            branch_id=_choice(params.get("branch_id"), branch_choices),
            status=_choice(params.get("status"), STATUS_CHOICES),
            per_page=int(per_page) if per_page else 25,
            page_number=parse_page_number(params.get("page")),
            allowed_branches=allowed_branches,
            branch_choices=branch_choices,
            branch_names=branch_registry(request.user),
            preserved_filters=_preserved(params.urlencode()),
        )

    @property
    def upstream_branch(self) -> str | None:
        """The branch asked for; a user limited to branches gets their first by default."""
        if self.branch_id:
            return self.branch_id
        return self.allowed_branches[0] if self.allowed_branches else None

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
        self.result = services.list_customers(
            search=self.search or None,
            branch_id=self.upstream_branch,
            status=self.status or None,
            page=self.page_number,
            per_page=self.per_page,
        )
        return self

    @property
    def export_query(self) -> str:
        """The filters (not the page) for the CSV export of every matching customer."""
        filters = {"search": self.search, "branch_id": self.branch_id, "status": self.status}
        return "?" + urlencode({key: value for key, value in filters.items() if value})

    def page_links(self) -> list:
        """Page numbers with ellipses, as the admin shows them."""
        meta = self.result.meta
        paginator = Paginator(range(meta.last_page), 1)
        number = min(meta.current_page, meta.last_page)
        return list(paginator.get_elided_page_range(number, on_each_side=2, on_ends=1))

    @property
    def columns(self):
        return COLUMNS


def _search(raw: str | None) -> str:
    text = (raw or "").strip()
    return "" if len(text) > SEARCH_MAX or "\x00" in text else text


def _choice(raw: str | None, choices: list[tuple[str, str]]) -> str:
    return raw if raw and any(raw == value for value, _ in choices) else ""


def _preserved(query: str) -> str:
    """`?_changelist_filters=…` for links to a record, so "back to list" keeps the filters."""
    return "?" + urlencode({"_changelist_filters": query}) if query else ""
