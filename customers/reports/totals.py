"""Totals of a filtered history: per type, successful only, the rest counted apart.

The same rule as the chart and the statement: only successful transactions
are totalled; failed and pending ones are counted (and their amount shown)
apart. When not every page could be read within the page's budget, the totals
are of the newest transactions read, and say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .fetching import Fetched
from .monthly import COUNTED_STATUS, Totals
from .statement import TypeLine, type_lines


@dataclass(slots=True)
class HistoryTotals:
    lines: list[TypeLine]
    total: int  # every transaction matching the filters, as the upstream counts them
    read: int  # how many of them were read and totalled
    complete: bool
    capped: bool = False  # partial because a screen reads at most MAX_PAGES, not for time
    by_status: dict[str, Totals] = field(default_factory=dict)  # "failed", "pending", ...

    @property
    def not_counted(self) -> list[tuple[str, Totals]]:
        return sorted(self.by_status.items())


def history_totals(fetched: Fetched, kind: str | None = None) -> HistoryTotals:
    lines = type_lines(kind)
    totals = HistoryTotals(
        lines=[],
        total=fetched.total,
        read=len(fetched.items),
        complete=fetched.complete,
        capped=fetched.capped,
    )
    for tx in fetched.items:
        if tx.status != COUNTED_STATUS:
            totals.by_status.setdefault(tx.status or "unknown", Totals()).add(tx)
            continue
        lines.setdefault(tx.type, TypeLine(tx.type)).counted.add(tx)
    totals.lines = list(lines.values())
    return totals
