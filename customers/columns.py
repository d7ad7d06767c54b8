"""The customer list's columns, defined once (in the spirit of Wagtail's listing columns).

Each column owns its label, its table cell (HTML) and its CSV value; the list page,
its htmx fragment and both CSV exports (every match, or the ticked rows) read
`COLUMNS`, so adding a field is one line here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.utils import dateformat, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from . import phones
from .upstream.types import CustomerSummary

DASH = "—"


@dataclass(frozen=True, slots=True)
class RowContext:
    """What every row shares: the start of record URLs, the list's filters, branch names."""

    detail_prefix: str  # "/customers/", reversed once per request
    filters_suffix: str = ""  # the list's filters, as preserved_filters.carried gives them
    branch_names: dict[str, str] | None = None
    ticked: frozenset[int] = frozenset()  # ids whose checkbox starts ticked

    def detail_url(self, customer) -> str:
        return f"{self.detail_prefix}{customer.id}/{self.filters_suffix}"

    def branch_name(self, code: str) -> str:
        return (self.branch_names or {}).get(code, "")


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its label, its cell (inner HTML with `{}` slots, and the values that fill
    them, each escaped by format_html unless already safe) and its CSV value."""

    key: str
    label: str
    html: str | None  # the cell's inner HTML, e.g. '<a href="{}">{}</a>'; None: CSV only
    args: Callable[[Any, RowContext], tuple] | None
    value: Callable[[Any, RowContext], Any]  # the CSV value
    csv_label: str = ""
    row_header: bool = False  # the cell that names the row (<th scope="row">)
    classes: str = ""

    @property
    def in_list(self) -> bool:
        return self.html is not None

    @property
    def css_class(self) -> str:
        """The cell's classes: `field-<key>` as in the admin's changelist, then any extra."""
        return f"field-{self.key} {self.classes}".strip()

    @property
    def cell_template(self) -> str:
        """The cell as a format_html template (our own markup; every value is a slot)."""
        start = (
            f'<th scope="row" class="{self.css_class}">'
            if self.row_header
            else (f'<td class="{self.css_class}">')
        )
        return start + self.html + ("</th>" if self.row_header else "</td>")

    def cell(self, customer, ctx: RowContext) -> SafeString:
        return format_html(self.cell_template, *self.args(customer, ctx))


# --- cells ----------------------------------------------------------------------------

LONG = '<span class="long-text" title="{}">{}</span>'  # wraps, cut after 3 lines; full text kept
LINK = '<a href="{}">{}</a>'  # short values (at most 50 characters): they wrap anywhere
NAME = '<a href="{}">' + LONG + "</a>"
ACTIVE = {
    True: format_html('<span class="status-active">{}</span>', "Active"),
    False: format_html('<span class="status-inactive">{}</span>', "Inactive"),
}


def _long(value) -> tuple:
    return ("", DASH) if value in (None, "") else (value, value)


def _name(customer, ctx: RowContext) -> tuple:
    return (ctx.detail_url(customer), *_long(customer.name))


def local_time(value: dt.datetime | None) -> SafeString:
    """`<time datetime="…">1 Feb 2025</time>` in the current time zone, Django's formatting."""
    if value is None:
        return format_html("{}", DASH)
    return _local_time(value, timezone.get_current_timezone_name(), get_language())


@lru_cache(maxsize=1024)
def _local_time(value: dt.datetime, zone: str, language: str | None) -> SafeString:
    """Remembered per moment, zone and language (month names are translated)."""
    local = timezone.localtime(value)
    return format_html(
        '<time datetime="{}">{}</time>',
        local.isoformat(timespec="minutes"),
        dateformat.format(local, "j M Y"),
    )


def _branch(customer, ctx: RowContext) -> tuple:
    name = ctx.branch_name(customer.branch_id)
    suffix = format_html(' <span class="quiet">{}</span>', name) if name else ""
    return (customer.branch_id, suffix)


# --- CSV values -----------------------------------------------------------------------


COLUMNS: list[Column] = [
    Column("customer_no", "Customer number", LINK,
           lambda c, x: (x.detail_url(c), c.customer_no), lambda c, x: c.customer_no),
    Column("name", "Name", NAME, _name, lambda c, x: c.name, row_header=True),
    Column("tin", "TIN", "{}", lambda c, x: (c.tin or DASH,), lambda c, x: c.tin),
    Column("phone", "Phone", "{}", lambda c, x: (c.phone or DASH,),
           lambda c, x: phones.as_written(c.phone)),
    Column("email", "Email", None, None, lambda c, x: c.email),
    Column("address", "Address", None, None, lambda c, x: c.address),
    Column("branch", "Branch", "{}{}", _branch, lambda c, x: c.branch_id),
    Column("branch_name", "Branch name", None, None, lambda c, x: x.branch_name(c.branch_id)),
    Column("is_active", "Active", "{}", lambda c, x: (ACTIVE[bool(c.is_active)],),
           lambda c, x: c.is_active),
    Column("total_transactions", "Transactions", "{}",
           lambda c, x: (DASH if c.total_transactions is None else c.total_transactions,),
           lambda c, x: c.total_transactions, classes="numeric"),
    Column("created_at", "Created", "{}", lambda c, x: (local_time(c.created_at),),
           lambda c, x: c.created_at, csv_label="Created (Nairobi time)", classes="nowrap"),
]  # fmt: skip
LIST_COLUMNS = [column for column in COLUMNS if column.in_list]


def headers(columns: list[Column] = LIST_COLUMNS) -> list[tuple[str, str]]:
    """(label, classes) of each column's header cell."""
    return [(c.label, f"column-{c.key}") for c in columns]


def csv_header(columns: list[Column] = COLUMNS) -> list[str]:
    return [column.csv_label or column.label for column in columns]


def csv_row(customer, ctx: RowContext, columns: list[Column] = COLUMNS) -> list:
    return [column.value(customer, ctx) for column in columns]


SELECT_CELL = (
    '<td class="action-checkbox"><input type="checkbox" name="selected" value="{}" '
    'class="action-select" aria-label="Select {}"{}></td>'
)
ROW_START = '<tr id="customer-row-{}" data-href="{}">'


def _row_template(columns: list[Column], *, selectable: bool) -> str:
    """One format_html template for a whole row: one call per row, not one per cell."""
    cells = "".join(column.cell_template for column in columns)
    return ROW_START + (SELECT_CELL if selectable else "") + cells + "</tr>"


ROW = {flag: _row_template(LIST_COLUMNS, selectable=flag) for flag in (False, True)}


def row(customer, ctx: RowContext, *, selectable: bool = False) -> SafeString:
    """One <tr>; its data-href is what the list's keys open (Enter; e adds "edit/")."""
    args = [customer.id, ctx.detail_url(customer)]
    if selectable:
        args += [customer.id, customer.name, " checked" if customer.id in ctx.ticked else ""]
    for column in LIST_COLUMNS:
        args += column.args(customer, ctx)
    return format_html(ROW[selectable], *args)


def rows(customers, ctx: RowContext, *, selectable: bool = False) -> SafeString:
    return format_html_join("", "{}", ((row(c, ctx, selectable=selectable),) for c in customers))


def summary_of(detail) -> CustomerSummary:
    """A detail answer as a list row (for the columns), e.g. when exporting ticked rows."""
    summary = detail.transaction_summary
    return CustomerSummary(
        id=detail.id,
        customer_no=detail.customer_no,
        name=detail.name,
        tin=detail.tin,
        phone=detail.phone,
        email=detail.email,
        address=detail.address,
        branch_id=detail.branch_id,
        is_active=detail.is_active,
        total_transactions=summary.total_transactions if summary else None,
        created_at=detail.created_at,
    )
