"""The report building blocks on their own: months, axis scale, month completeness."""

import datetime as dt
from decimal import Decimal

import pytest

from customers.reports.fetching import Fetched
from customers.reports.monthly import summarise
from customers.reports.months import NAIROBI, Month, last_months
from customers.reports.svgchart import build_chart, compact, nice_top
from customers.upstream.types import Transaction


def _tx(when: dt.datetime, *, kind="sales", amount="10.00", status="success", n=0):
    return Transaction(
        id=str(n),
        type=kind,
        invoice_no=f"I{n}",
        amount=Decimal(amount),
        tax_amount=Decimal("1.38"),
        status=status,
        branch_id="00",
        created_at=when,
    )


def test_last_months_cross_the_new_year():
    months = last_months(dt.date(2026, 2, 14))
    assert months[0] == Month(2025, 3) and months[-1] == Month(2026, 2) and len(months) == 12
    assert [m.label for m in months[9:]] == ["Dec 2025", "Jan 2026", "Feb 2026"]


def test_months_are_nairobi_months():
    assert Month.of(dt.datetime(2026, 1, 31, 20, 59, tzinfo=dt.UTC)) == Month(2026, 1)
    assert Month.of(dt.datetime(2026, 1, 31, 21, 0, tzinfo=dt.UTC)) == Month(2026, 2)
    assert Month(2026, 2).starts_at == dt.datetime(2026, 2, 1, tzinfo=NAIROBI)


@pytest.mark.parametrize(
    ("value", "top"),
    [
        ("0", "1000"),
        ("1", "1"),
        ("7.5", "8"),
        ("950", "1000"),
        ("1001", "1200"),
        ("915130", "1000000"),
        ("369360", "400000"),
        ("2400000", "2400000"),
        ("2400001", "3000000"),
    ],
)
def test_axis_top_is_round(value, top):
    assert nice_top(Decimal(value)) == Decimal(top)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("0", "0"),
        ("950", "950"),
        ("1000", "1K"),
        ("12345", "12.3K"),
        ("250000", "250K"),
        ("1250000", "1.25M"),
        ("2000000000", "2B"),
    ],
)
def test_compact_figures(value, text):
    assert compact(Decimal(value)) == text


def test_summary_counts_successful_transactions_in_loaded_months():
    window = last_months(dt.date(2026, 11, 25))
    newest = dt.datetime(2026, 11, 20, 12, tzinfo=NAIROBI)
    items = [
        _tx(newest, amount="100.10", n=1),
        _tx(newest - dt.timedelta(days=1), kind="purchases", amount="5.05", n=2),
        _tx(newest - dt.timedelta(days=2), status="failed", n=3),
        _tx(dt.datetime(2026, 9, 30, 23, 30, tzinfo=NAIROBI), amount="1.00", n=4),
    ]
    history = summarise(Fetched(items=items, total=9, pages_read=1, last_page=3), window)
    # Not complete: only months after September (the oldest read) have figures.
    assert [row.month for row in history.loaded_rows] == [Month(2026, 10), Month(2026, 11)]
    november = history.rows[-1]
    assert (november.sales.count, november.sales.amount) == (1, Decimal("100.10"))
    assert (november.purchases.count, november.purchases.amount) == (1, Decimal("5.05"))
    assert history.not_counted == 1 and not history.is_empty

    chart = build_chart(history)
    assert [bool(c.bars) for c in chart.columns] == [False] * 10 + [True, True]
    assert chart.ticks[-1].label == "120"  # axis up to a round figure above 100.10


def test_zero_bars_still_take_focus_at_the_baseline():
    history = summarise(
        Fetched(items=[], total=0, pages_read=1, last_page=1), last_months(dt.date(2026, 11, 25))
    )
    chart = build_chart(history)
    bars = [bar for column in chart.columns for bar in column.bars]
    assert len(bars) == 24 and all(bar.height == 0 and bar.y == chart.bottom for bar in bars)
    assert bars[0].label == "Sales, December 2025: KES 0.00 from 0 transactions"
