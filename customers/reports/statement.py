"""A customer's statement for a period: every transaction, and totals per type."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..upstream.types import Transaction
from .fetching import Fetched
from .monthly import COUNTED_STATUS, PURCHASES, SALES, Totals, type_label

_OLDEST = dt.datetime.min.replace(tzinfo=dt.UTC)


@dataclass(slots=True)
class TypeLine:
    kind: str
    counted: Totals = field(default_factory=Totals)  # successful: the statement's totals
    left_out: Totals = field(default_factory=Totals)  # pending or failed

    @property
    def label(self) -> str:
        return type_label(self.kind)


def type_lines(kind: str | None) -> dict[str, TypeLine]:
    """The lines a total starts with: `kind`'s alone, or sales and purchases."""
    return {k: TypeLine(k) for k in ([kind] if kind else [SALES, PURCHASES])}


@dataclass(slots=True)
class Statement:
    from_date: dt.date
    to_date: dt.date
    transactions: list[Transaction]
    lines: list[TypeLine]
    total: int  # as the upstream counts them
    complete: bool

    @property
    def left_out(self) -> Totals:
        total = Totals()
        for line in self.lines:
            total.count += line.left_out.count
            total.amount += line.left_out.amount
            total.tax += line.left_out.tax
        return total


def build_statement(
    fetched: Fetched, from_date: dt.date, to_date: dt.date, *, kind: str | None = None
) -> Statement:
    """Oldest first, as a statement reads; totals of successful transactions per type
    (of `kind` only when the statement is of one type)."""
    items = sorted(fetched.items, key=lambda tx: (tx.created_at or _OLDEST, tx.invoice_no))
    lines = type_lines(kind)
    for tx in items:
        line = lines.setdefault(tx.type, TypeLine(tx.type))
        (line.counted if tx.status == COUNTED_STATUS else line.left_out).add(tx)
    return Statement(
        from_date=from_date,
        to_date=to_date,
        transactions=items,
        lines=list(lines.values()),
        total=fetched.total,
        complete=fetched.complete,
    )
