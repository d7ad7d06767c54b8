"""The customer list: request parameters turned into one upstream query (cf. ChangeList)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.utils.http import urlencode

from . import services
from .access import branch_registry
from .forms import PER_PAGE_CHOICES, ListFilterForm, parse_page_number
from .upstream_types import CustomerSummary, Page, PageMeta

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


@dataclass
class CustomerChangeList:
    form: ListFilterForm
    search: str = ""
    branch_id: str = ""
    status: str = ""
    per_page: int = 25
    page_number: int = 1
    allowed_branches: list[str] | None = None
    result: Page[CustomerSummary] | None = None
    branch_names: dict[str, str] = field(default_factory=dict)
    preserved_filters: str = ""

    @classmethod
    def from_request(
        cls, request, *, branches: list[tuple[str, str]], allowed_branches: list[str] | None
    ) -> CustomerChangeList:
        form = ListFilterForm(
            request.GET, branches=branches or [], allow_all=allowed_branches is None
        )
        form.is_valid()  # invalid values are simply dropped, as the admin does
        data = form.cleaned_data
        per_page = data.get("per_page") or 25
        return cls(
            form=form,
            search=(data.get("search") or "").strip(),
            branch_id=data.get("branch_id") or "",
            status=data.get("status") or "",
            per_page=per_page if per_page in PER_PAGE_CHOICES else 25,
            page_number=parse_page_number(request.GET.get("page")),
            allowed_branches=allowed_branches,
            branch_names=branch_registry(request.user),
            preserved_filters=_preserved(request.GET.urlencode()),
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


def _preserved(query: str) -> str:
    """`?_changelist_filters=…` for links to a record, so "back to list" keeps the filters."""
    return "?" + urlencode({"_changelist_filters": query}) if query else ""
