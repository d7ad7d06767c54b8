"""Geometry of the 12-month bar chart; `templates/customers/chart.html` draws it as SVG.

Amounts decide the bar heights; everything is in SVG user units of a fixed viewBox
that the stylesheet scales to the page width.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from ..transaction_columns import kes
from .monthly import PURCHASES, SALES, TYPE_LABELS, MonthlyHistory, MonthRow

WIDTH, HEIGHT = 960, 330
LEFT, RIGHT, TOP, BOTTOM = 72, 12, 28, 58  # room for the axes' labels and titles
TICKS = 4


@dataclass(frozen=True, slots=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True, slots=True)
class Bar:
    kind: str
    x: float
    y: float
    width: float
    height: float
    label: str  # what a screen reader and the tooltip say
    value: str  # the short figure shown above the bar on hover and focus

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def value_y(self) -> float:
        return round(self.y - 6, 1)


@dataclass(frozen=True, slots=True)
class Column:
    row: MonthRow
    x: float
    width: float
    bars: tuple[Bar, ...]
    show_year: bool

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True, slots=True)
class Chart:
    columns: tuple[Column, ...]
    ticks: tuple[Tick, ...]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    right: int = WIDTH - RIGHT
    bottom: int = HEIGHT - BOTTOM

    @property
    def plot_height(self) -> int:
        return self.bottom - self.top

    @property
    def plot_width(self) -> int:
        return self.right - self.left

    @property
    def middle_x(self) -> float:
        return self.left + self.plot_width / 2

    @property
    def middle_y(self) -> float:
        return self.top + self.plot_height / 2

    @property
    def x_title_y(self) -> int:
        return self.height - 8


def build_chart(history: MonthlyHistory) -> Chart:
    top_value = nice_top(max_amount(history))
    plot_height = HEIGHT - BOTTOM - TOP
    scale = plot_height / float(top_value)
    column_width = (WIDTH - RIGHT - LEFT) / len(history.rows)
    columns = tuple(
        _column(row, LEFT + i * column_width, column_width, scale, show_year=i == 0)
        for i, row in enumerate(history.rows)
    )
    step = top_value / TICKS
    ticks = tuple(
        Tick(y=round(HEIGHT - BOTTOM - float(step * n) * scale, 1), label=compact(step * n))
        for n in range(TICKS + 1)
    )
    return Chart(columns=columns, ticks=ticks)


def _column(row: MonthRow, x: float, width: float, scale: float, *, show_year: bool) -> Column:
    bar_width = width * 0.34
    gap = width * 0.04
    first_x = x + (width - 2 * bar_width - gap) / 2
    bars = ()
    if row.loaded:
        bars = tuple(
            _bar(row, kind, first_x + n * (bar_width + gap), bar_width, scale)
            for n, kind in enumerate((SALES, PURCHASES))
        )
    return Column(
        row=row,
        x=round(x, 1),
        width=round(width, 1),
        bars=bars,
        show_year=show_year or row.month.month == 1,
    )


def _bar(row: MonthRow, kind: str, x: float, width: float, scale: float) -> Bar:
    totals = row.totals_for(kind)
    height = float(totals.amount) * scale
    if totals.count and height < 1.5:
        height = 1.5  # a month with small sums still shows a sliver
    height = max(height, 0.0)
    noun = "transaction" if totals.count == 1 else "transactions"
    label = (
        f"{TYPE_LABELS[kind]}, {row.month.long_label}: {kes(totals.amount)} "
        f"from {totals.count} {noun}"
    )
    return Bar(
        kind=kind,
        x=round(x, 1),
        y=round(HEIGHT - BOTTOM - height, 1),
        width=round(width, 1),
        height=round(height, 1),
        label=label,
        value=compact(totals.amount),
    )


def max_amount(history: MonthlyHistory) -> Decimal:
    amounts = [
        row.totals_for(kind).amount for row in history.loaded_rows for kind in (SALES, PURCHASES)
    ]
    return max(amounts, default=Decimal(0))


def nice_top(value: Decimal) -> Decimal:
    """A round axis maximum at or above `value`, split into TICKS round steps."""
    if value <= 0:
        return Decimal(1000)
    raw_step = value / TICKS
    magnitude = Decimal(10) ** math.floor(math.log10(raw_step))
    for factor in (1, Decimal("1.5"), 2, Decimal("2.5"), 3, 4, 5, 6, Decimal("7.5"), 10):
        step = magnitude * factor
        if step * TICKS >= value:
            return step * TICKS
    return magnitude * 10 * TICKS  # not reached: factor 10 always fits


def compact(value: Decimal) -> str:
    """1250000 -> '1.25M', 52500 -> '52.5K', 120000 -> '120K', 950 -> '950'."""
    amount = Decimal(value)
    for size, suffix in ((Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"), (Decimal(1000), "K")):
        if abs(amount) >= size:
            scaled = amount / size
            places = 0 if abs(scaled) >= 100 else 1 if abs(scaled) >= 10 else 2
            text = f"{scaled:.{places}f}"
            return f"{text.rstrip('0').rstrip('.') if '.' in text else text}{suffix}"
    return f"{amount:.0f}"
