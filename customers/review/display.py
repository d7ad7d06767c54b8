"""A stored snapshot read back for the page and the CSV files: amounts as Decimal,
moments as datetimes, the months as a chart and a year-on-year table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from ..reports.monthly import SALES, MonthlyHistory, MonthRow, Totals, type_label
from ..reports.months import Month
from ..reports.svgchart import Chart, build_chart
from ..transaction_columns import with_currency

# The lists of the review: key in the snapshot, heading, the CSV's extra columns.
LISTS = {
    "top": ("Top customers by sales", ["sales", "transactions", "last_transaction_at"]),
    "dormant": ("Dormant", ["last_transaction_at"]),
    "no_tin": ("Business without a TIN", ["word"]),
    "to_fix": ("TIN or phone to fix", ["problems"]),
}
COLUMN_LABELS = {
    "sales": with_currency(type_label(SALES)),
    "transactions": "Transactions",
    "last_transaction_at": "Last transaction",
    "word": "Business word",
    "problems": "What to fix",
}


def _moment(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def entries(raw: list[dict]) -> list[dict]:
    """A stored list with its amounts and moments typed again."""
    typed = []
    for item in raw:
        item = dict(item)
        if "sales" in item:
            item["sales"] = Decimal(item["sales"])
        if "last_transaction_at" in item:
            item["last_transaction_at"] = _moment(item["last_transaction_at"])
        typed.append(item)
    return typed


@dataclass(frozen=True, slots=True)
class YearOnYear:
    month: Month
    now: MonthRow
    year_before: MonthRow


def history(monthly: list[dict]) -> MonthlyHistory:
    rows = [
        MonthRow(
            month=Month(*map(int, row["month"].split("-"))),
            sales=Totals(count=row["sales_count"], amount=Decimal(row["sales_amount"])),
            purchases=Totals(count=row["purchases_count"], amount=Decimal(row["purchases_amount"])),
        )
        for row in monthly
    ]
    counted = sum(r.sales.count + r.purchases.count for r in rows)
    return MonthlyHistory(rows=rows, total_in_window=counted, read=counted)


def year_on_year(monthly: MonthlyHistory) -> list[YearOnYear]:
    """The last 12 months, newest first, each beside the same month a year earlier."""
    by_month = {row.month: row for row in monthly.rows}
    latest = [row for row in monthly.rows if row.month.shifted(-12) in by_month]
    return [
        YearOnYear(month=row.month, now=row, year_before=by_month[row.month.shifted(-12)])
        for row in reversed(latest)
    ]


@dataclass(frozen=True, slots=True)
class Review:
    glance: dict
    history: MonthlyHistory
    chart: Chart
    year_on_year: list[YearOnYear]
    lists: dict[str, dict]
    duplicates: list[dict]


def review(sections: dict) -> Review:
    glance = dict(sections["glance"], sales_amount=Decimal(sections["glance"]["sales_amount"]))
    monthly = history(sections["monthly"])
    return Review(
        glance=glance,
        history=monthly,
        chart=build_chart(monthly),
        year_on_year=year_on_year(monthly),
        lists={
            key: {"heading": heading, "key": key, "items": entries(sections[key])}
            for key, (heading, _) in LISTS.items()
        },
        duplicates=sections["duplicates"],
    )


def as_of(moment: dt.datetime, *, now: dt.datetime) -> str:
    """'14:05 today', '09:10 yesterday', '16:40 on 3 Dec' (Nairobi time)."""
    local, today = timezone.localtime(moment), timezone.localdate(now)
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return f"{clock} today"
    if local.date() == today - dt.timedelta(days=1):
        return f"{clock} yesterday"
    return f"{clock} on {local.day} {local:%b %Y}"
