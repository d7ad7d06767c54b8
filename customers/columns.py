"""The customer list's columns, defined once (in the spirit of Wagtail's listing columns).

Each column owns its label, its table cell (HTML) and its CSV value; the list page,
its htmx fragment and both CSV exports (every match, or the ticked rows) read
`COLUMNS`, so adding a field is one line here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import phonenumbers
from django.utils import dateformat, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .forms import PHONE_REGION
from .upstream_types import CustomerSummary

DASH = "—"


@dataclass(frozen=True, slots=True)
class RowContext:
    """What every row shares: the start of record URLs, the list's filters, branch names."""

    detail_prefix: str  # "/customers/", reversed once per request
    filters_suffix: str = ""  # "?_changelist_filters=…" or ""
    branch_names: dict[str, str] | None = None

    def detail_url(self, customer) -> str:
        return f"{self.detail_prefix}{customer.id}/{self.filters_suffix}"

    def edit_url(self, customer) -> str:
        return f"{self.detail_prefix}{customer.id}/edit/{self.filters_suffix}"

    def branch_name(self, code: str) -> str:
        return (self.branch_names or {}).get(code, "")


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    cell: Callable[[Any, RowContext], SafeString] | None  # None: in the CSV only
    value: Callable[[Any, RowContext], Any]  # the CSV value
    csv_label: str = ""
    row_header: bool = False  # the cell that names the row (<th scope="row">)
    classes: str = ""

    @property
    def in_list(self) -> bool:
        return self.cell is not None

    @property
    def css_class(self) -> str:
        """The cell's classes: `field-<key>` as in the admin's changelist, then any extra."""
        return f"field-{self.key} {self.classes}".strip()

    def td(self, customer, ctx: RowContext) -> SafeString:
        if self.row_header:
            return format_html(
                '<th scope="row" class="{}">{}</th>', self.css_class, self.cell(customer, ctx)
            )
        return format_html('<td class="{}">{}</td>', self.css_class, self.cell(customer, ctx))


# --- cells ----------------------------------------------------------------------------


def _text(value) -> SafeString:
    """Text that may be long (a 255-character name with no space): wraps, full text kept."""
    if value in (None, ""):
        return format_html("{}", DASH)
    return format_html('<span class="long-text" title="{}">{}</span>', value, value)


def _link(customer, ctx: RowContext, text) -> SafeString:
    return format_html('<a href="{}">{}</a>', ctx.detail_url(customer), _text(text))


def local_time(value: dt.datetime | None) -> SafeString:
    """`<time datetime="…">1 Feb 2025</time>` in the current time zone, Django's formatting."""
    if value is None:
        return format_html("{}", DASH)
    local = timezone.localtime(value)
    return format_html(
        '<time datetime="{}">{}</time>',
        local.isoformat(timespec="minutes"),
        dateformat.format(local, "j M Y"),
    )


def _branch(customer, ctx: RowContext) -> SafeString:
    name = ctx.branch_name(customer.branch_id)
    if not name:
        return format_html("{}", customer.branch_id)
    return format_html('{} <span class="quiet">{}</span>', customer.branch_id, name)


def _active(customer, ctx: RowContext) -> SafeString:
    if customer.is_active:
        return format_html('<span class="status-active">{}</span>', "Active")
    return format_html('<span class="status-inactive">{}</span>', "Inactive")


def _count(value) -> SafeString:
    return format_html("{}", DASH if value is None else value)


# --- CSV values -----------------------------------------------------------------------


def national_phone(value: str | None) -> str | None:
    """'+254712345678' -> '0712 345678', as people write it (spreadsheets keep it as text)."""
    if not value:
        return value
    try:
        number = phonenumbers.parse(value, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return value
    if not phonenumbers.is_possible_number(number):
        return value
    if number.country_code != phonenumbers.country_code_for_region(PHONE_REGION):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


COLUMNS: list[Column] = [
    Column("customer_no", "Customer number", lambda c, x: _link(c, x, c.customer_no),
           lambda c, x: c.customer_no),
    Column("name", "Name", lambda c, x: _link(c, x, c.name), lambda c, x: c.name,
           row_header=True),
    Column("tin", "TIN", lambda c, x: _text(c.tin), lambda c, x: c.tin),
    Column("phone", "Phone", lambda c, x: _text(c.phone), lambda c, x: national_phone(c.phone)),
    Column("email", "Email", None, lambda c, x: c.email),
    Column("address", "Address", None, lambda c, x: c.address),
    Column("branch", "Branch", _branch, lambda c, x: c.branch_id),
    Column("branch_name", "Branch name", None, lambda c, x: x.branch_name(c.branch_id)),
    Column("is_active", "Active", _active, lambda c, x: c.is_active),
    Column("total_transactions", "Transactions", lambda c, x: _count(c.total_transactions),
           lambda c, x: c.total_transactions, classes="numeric"),
    Column("created_at", "Created", lambda c, x: local_time(c.created_at),
           lambda c, x: c.created_at, csv_label="Created (Nairobi time)", classes="nowrap"),
]  # fmt: skip
LIST_COLUMNS = [column for column in COLUMNS if column.in_list]


def header_cells(columns: list[Column] = LIST_COLUMNS) -> SafeString:
    return format_html_join(
        "", '<th scope="col" class="column-{}">{}</th>', ((c.key, c.label) for c in columns)
    )


def csv_header(columns: list[Column] = COLUMNS) -> list[str]:
    return [column.csv_label or column.label for column in columns]


def csv_row(customer, ctx: RowContext, columns: list[Column] = COLUMNS) -> list:
    return [column.value(customer, ctx) for column in columns]


def select_cell(customer) -> SafeString:
    """The row's action checkbox, labelled with the customer's name."""
    return format_html(
        '<td class="action-checkbox"><input type="checkbox" name="selected" value="{}" '
        'class="action-select" aria-label="Select {}"></td>',
        customer.id,
        customer.name,
    )


def row(customer, ctx: RowContext, *, selectable: bool = False) -> SafeString:
    """One <tr>: its data-* links are what the list's keys open (Enter, e)."""
    cells = format_html_join("", "{}", ((column.td(customer, ctx),) for column in LIST_COLUMNS))
    return format_html(
        '<tr id="customer-row-{}" data-href="{}" data-edit-href="{}" data-name="{}">{}{}</tr>',
        customer.id,
        ctx.detail_url(customer),
        ctx.edit_url(customer),
        customer.name,
        select_cell(customer) if selectable else "",
        cells,
    )


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
