"""The review lists' columns, declared once (as `customers/columns.py` declares the
customer list's): each owns its header, its cell on the page and its CSV value.

Every list starts with the customer's number (a link to the record) and name; then its
own columns (`LISTS`). The CSV adds the customer's id first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html

from ..reports.monthly import SALES, type_label
from ..transaction_columns import kes, with_currency


@dataclass(frozen=True, slots=True)
class ReviewColumn:
    key: str
    label: str  # the page's header
    cell: Callable[[dict], Any]  # the page's cell content (text, or HTML by format_html)
    classes: str = ""
    export_label: str = ""  # the CSV's header, when it says more (the currency)

    @property
    def csv_label(self) -> str:
        return self.export_label or self.label

    def td(self, item: dict):
        classes = format_html(' class="{}"', self.classes) if self.classes else ""
        return format_html("<td{}>{}</td>", classes, self.cell(item))


def _day(empty: str) -> Callable[[dict], str]:
    def cell(item: dict) -> str:
        moment = item.get("last_transaction_at")
        return formats.date_format(moment, "j M Y") if moment else empty

    return cell


def _text(key: str) -> Callable[[dict], Any]:
    return lambda item: item.get(key, "")


def _record_link(item: dict):
    url = reverse("customers:detail", args=[item["id"]])
    return format_html('<a href="{}">{}</a>', url, item["customer_no"])


NUMBER = ReviewColumn("customer_no", "Customer number", _record_link)
NAME = ReviewColumn("name", "Customer name", _text("name"))
SALES_AMOUNT = ReviewColumn(
    "sales",
    type_label(SALES),
    lambda c: kes(c.get("sales")),
    classes="numeric nowrap",
    export_label=with_currency(type_label(SALES)),
)
TRANSACTIONS = ReviewColumn("transactions", "Transactions", _text("transactions"), "numeric")
LAST_TRADED = ReviewColumn("last_transaction_at", "Last transaction", _day("None"), "nowrap")
NEVER_TRADED = ReviewColumn("last_transaction_at", "Last transaction", _day("Never"), "nowrap")
WORD = ReviewColumn("word", "Business word", _text("word"))
PROBLEMS = ReviewColumn("problems", "What to fix", _text("problems"))

# The lists of the review: key in the snapshot, heading, columns after number and name.
LISTS = {
    "top": ("Top customers by sales", (SALES_AMOUNT, TRANSACTIONS, LAST_TRADED)),
    "dormant": ("Dormant", (NEVER_TRADED,)),
    "no_tin": ("Business without a TIN", (WORD,)),
    "to_fix": ("TIN or phone to fix", (PROBLEMS,)),
}
CUSTOMER_ID = "Customer ID"  # the CSV's first column


def columns_of(section: str) -> tuple[ReviewColumn, ...]:
    return (NUMBER, NAME, *LISTS[section][1])


def headers(section: str) -> list[tuple[str, str]]:
    """(label, classes) of each header cell, as `_header_cells.html` takes them."""
    return [(column.label, column.classes) for column in columns_of(section)]


def csv_header(section: str) -> list[str]:
    return [CUSTOMER_ID, *(column.csv_label for column in columns_of(section))]


def csv_row(section: str, item: dict) -> list:
    return [item["id"], *(item.get(column.key) for column in columns_of(section))]


def duplicates_csv_header() -> list[str]:
    return ["Same", "Value", CUSTOMER_ID, NUMBER.csv_label, NAME.csv_label]
