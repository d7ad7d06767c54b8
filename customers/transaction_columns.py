"""A customer's transactions as columns, declared once (as customers/columns.py does for
the list): the history, the detail's recent transactions, the statement and every export
(CSV and XLSX) read `COLUMNS`.

Each column owns its header, its cell and its export value. A table (`Table`) picks its
columns; the statement writes the currency in the header ("Amount (KES)") and marks the
transactions its totals leave out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import dateformat, numberformat, timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from .reports.monthly import COUNTED_STATUS, type_label
from .upstream.types import Transaction

DASH = "—"
CURRENCY = "KES"


def kes(value, *, prefix: bool = True) -> str:
    """1250000 -> 'KES 1,250,000.00' ('1,250,000.00' without the prefix); blank for None."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return ""
    text = numberformat.format(amount, ".", 2, grouping=3, thousand_sep=",", force_grouping=True)
    return f"{CURRENCY} {text}" if prefix else text


def with_currency(label: str) -> str:
    """A header over amounts in KES: "Amount" -> "Amount (KES)"."""
    return f"{label} ({CURRENCY})"


def when(value) -> str:
    """'14 Jan 2025, 19:30' in the current time zone; blank for None."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return dateformat.format(local, "j M Y, H:i")  # as the list's dates: no format lookup


@dataclass(frozen=True, slots=True)
class Table:
    """One table of transactions: its columns, and how it shows money and left-out rows."""

    keys: tuple[str, ...]
    units_in_header: bool = False  # "Amount (KES)" over bare numbers (the statement)
    marks_left_out: bool = False  # pending and failed rows marked * (not in the totals)

    @property
    def columns(self) -> list[TransactionColumn]:
        return [BY_KEY[key] for key in self.keys]

    def money(self, value) -> str:
        """An amount as this table shows it: "KES 1,250.00", or "1,250.00" where the
        currency is in the header."""
        return kes(value, prefix=not self.units_in_header)

    def left_out(self, t: Transaction) -> bool:
        return self.marks_left_out and t.status != COUNTED_STATUS


@dataclass(frozen=True, slots=True)
class TransactionColumn:
    key: str
    label: str
    text: Callable[[Transaction, Table], Any] | None  # the cell's text; None: exports only
    value: Callable[[Transaction], Any]  # the export value (CSV and XLSX)
    classes: str = ""
    money: bool = False  # an amount in KES: "(KES)" in export headers, a KES format in XLSX
    export_label: str = ""

    def header_label(self, table: Table) -> str:
        return with_currency(self.label) if self.money and table.units_in_header else self.label

    @property
    def export_header(self) -> str:
        return self.export_label or (with_currency(self.label) if self.money else self.label)

    @property
    def cell_template(self) -> str:
        """The cell as a format_html template (our own markup; the text is the slot)."""
        return f'<td class="{self.classes}">{{}}</td>' if self.classes else "<td>{}</td>"


def _money(field: str):
    def text(t: Transaction, table: Table) -> str:
        value = getattr(t, field)
        return DASH if value is None else table.money(value)

    return text


def _status(t: Transaction, table: Table) -> str:
    label = t.status.capitalize()
    return f"{label}*" if table.left_out(t) else label


COLUMNS: list[TransactionColumn] = [
    TransactionColumn("created_at", "Date", lambda t, _: when(t.created_at), lambda t: t.created_at,
                      classes="nowrap", export_label="Date (Nairobi time)"),
    TransactionColumn("invoice_no", "Invoice", lambda t, _: t.invoice_no or DASH,
                      lambda t: t.invoice_no, classes="invoice-no"),
    TransactionColumn("type", "Type", lambda t, _: type_label(t.type),
                      lambda t: type_label(t.type)),
    TransactionColumn("amount", "Amount", _money("amount"), lambda t: t.amount,
                      classes="numeric nowrap", money=True),
    TransactionColumn("tax_amount", "Tax", _money("tax_amount"), lambda t: t.tax_amount,
                      classes="numeric nowrap", money=True),
    TransactionColumn("status", "Status", _status, lambda t: t.status.capitalize()),
    TransactionColumn("branch_id", "Branch", lambda t, _: t.branch_id or DASH,
                      lambda t: t.branch_id),
    TransactionColumn("id", "Transaction ID", None, lambda t: t.id),
]  # fmt: skip
BY_KEY = {column.key: column for column in COLUMNS}

HISTORY = Table(("created_at", "invoice_no", "type", "amount", "tax_amount", "status", "branch_id"))
RECENT = Table(("created_at", "invoice_no", "type", "amount", "status"))
STATEMENT = Table(
    ("created_at", "invoice_no", "type", "amount", "tax_amount", "status"),
    units_in_header=True,
    marks_left_out=True,
)
TABLES = {"history": HISTORY, "recent": RECENT, "statement": STATEMENT}


def headers(table: Table) -> list[tuple[str, str]]:
    """(label, classes) of each column's header cell."""
    return [(c.header_label(table), "numeric" if c.money else "") for c in table.columns]


def _row_templates(table: Table) -> dict[bool, str]:
    """One format_html template a row (one call per row, not one per cell), by left-out."""
    cells = "".join(column.cell_template for column in table.columns)
    return {False: f"<tr>{cells}</tr>", True: f'<tr class="not-counted">{cells}</tr>'}


ROW_TEMPLATES = {table: _row_templates(table) for table in TABLES.values()}
COLUMNS_OF = {table: table.columns for table in TABLES.values()}


def row(t: Transaction, table: Table) -> SafeString:
    texts = [column.text(t, table) for column in COLUMNS_OF[table]]
    return format_html(ROW_TEMPLATES[table][table.left_out(t)], *texts)


def rows(transactions, table: Table) -> SafeString:
    return format_html_join("\n", "{}", ((row(t, table),) for t in transactions))


# --- exports --------------------------------------------------------------------------


def export_header() -> list[str]:
    return [column.export_header for column in COLUMNS]


def export_row(t: Transaction) -> list:
    return [column.value(t) for column in COLUMNS]


def export_rows(page) -> list[list]:
    return [export_row(t) for t in page.items]


MONEY_INDEXES = frozenset(i for i, column in enumerate(COLUMNS) if column.money)
