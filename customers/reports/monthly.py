"""Sales and purchases per month: counts and amounts (Decimal, KES).

Only successful transactions count, as in the upstream's own "total sales
amount"; pending and failed ones are counted apart so the page can say so.

When the history was longer than the pages read, only the months wholly
covered by what was read get figures: the upstream sends the newest first, so
every month after the one of the oldest transaction read is complete. The
others are marked "not loaded" rather than shown with a wrong total.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from ..upstream.types import Transaction
from .months import Month

if TYPE_CHECKING:  # fetching reads the history's form, whose choices are named here
    from .fetching import Fetched

SALES, PURCHASES = "sales", "purchases"
TYPE_LABELS = {SALES: "Sales", PURCHASES: "Purchases"}  # as every screen names them
COUNTED_STATUS = "success"


def type_label(kind: str) -> str:
    """A type's name on every screen and export: "sales" -> "Sales" (an unknown type
    capitalised)."""
    return TYPE_LABELS.get(kind, kind.capitalize())


@dataclass(slots=True)
class Totals:
    count: int = 0
    amount: Decimal = field(default_factory=Decimal)
    tax: Decimal = field(default_factory=Decimal)

    def add(self, tx: Transaction) -> None:
        self.count += 1
        self.amount += tx.amount
        self.tax += tx.tax_amount or Decimal(0)


@dataclass(slots=True)
class MonthRow:
    month: Month
    loaded: bool = True
    sales: Totals = field(default_factory=Totals)
    purchases: Totals = field(default_factory=Totals)

    def totals_for(self, kind: str) -> Totals:
        return self.sales if kind == SALES else self.purchases


@dataclass(slots=True)
class MonthlyHistory:
    rows: list[MonthRow]
    total_in_window: int  # every transaction in the window, as the upstream counts them
    read: int  # how many of them were read
    not_counted: int = 0  # pending or failed, in loaded months
    complete: bool = True
    ordered: bool = True

    @property
    def loaded_rows(self) -> list[MonthRow]:
        return [row for row in self.rows if row.loaded]

    @property
    def first_loaded(self) -> Month | None:
        rows = self.loaded_rows
        return rows[0].month if rows else None

    @property
    def sales(self) -> Totals:
        return _sum(row.sales for row in self.loaded_rows)

    @property
    def purchases(self) -> Totals:
        return _sum(row.purchases for row in self.loaded_rows)

    @property
    def is_empty(self) -> bool:
        return self.complete and not any(
            row.sales.count or row.purchases.count for row in self.rows
        )

    @property
    def current_month(self) -> Month:
        return self.rows[-1].month


def summarise(fetched: Fetched, months: list[Month]) -> MonthlyHistory:
    ordered = is_newest_first(fetched.items)
    first_complete = _first_complete_month(fetched, months, ordered)
    rows = {
        m: MonthRow(month=m, loaded=first_complete is not None and m >= first_complete)
        for m in months
    }
    history = MonthlyHistory(
        rows=list(rows.values()),
        total_in_window=fetched.total,
        read=len(fetched.items),
        complete=fetched.complete,
        ordered=ordered,
    )
    for tx in fetched.items:
        row = rows.get(Month.of(tx.created_at)) if tx.created_at else None
        if row is None or not row.loaded or tx.type not in (SALES, PURCHASES):
            continue
        if tx.status != COUNTED_STATUS:
            history.not_counted += 1
            continue
        row.totals_for(tx.type).add(tx)
    return history


def is_newest_first(items: list[Transaction]) -> bool:
    moments = [tx.created_at for tx in items]
    if any(m is None for m in moments):
        return False
    return all(a >= b for a, b in zip(moments, moments[1:], strict=False))


def _first_complete_month(fetched: Fetched, months: list[Month], ordered: bool) -> Month | None:
    if fetched.complete:
        return months[0]
    if not ordered or not fetched.items:
        return None
    oldest_read = Month.of(fetched.items[-1].created_at)
    return oldest_read.shifted(1) if oldest_read.shifted(1) <= months[-1] else None


def _sum(parts) -> Totals:
    total = Totals()
    for part in parts:
        total.count += part.count
        total.amount += part.amount
        total.tax += part.tax
    return total
