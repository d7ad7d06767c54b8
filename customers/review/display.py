"""A stored snapshot read back for the page and the CSV files: amounts as Decimal,
moments as datetimes, the months as a chart and a year-on-year table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.html import format_html_join

from ..reports.monthly import MonthlyHistory, MonthRow, Totals
from ..reports.months import Month
from ..reports.svgchart import Chart, build_chart
from .columns import LISTS, columns_of, headers


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
        lists={key: _list(key, heading, sections[key]) for key, (heading, _) in LISTS.items()},
        duplicates=sections["duplicates"],
    )


def _list(key: str, heading: str, raw: list[dict]) -> dict:
    """A list of the page: its heading, its header cells, and each row's cells."""
    items = entries(raw)
    columns = columns_of(key)
    rows = [
        format_html_join("", "{}", ((column.td(item),) for column in columns)) for item in items
    ]
    return {"heading": heading, "key": key, "items": items, "headers": headers(key), "rows": rows}


def as_of(moment: dt.datetime, *, now: dt.datetime) -> str:
    """'14:05 today', '09:10 yesterday', '16:40 on 3 Dec' (Nairobi time)."""
    local, today = timezone.localtime(moment), timezone.localdate(now)
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return f"{clock} today"
    if local.date() == today - dt.timedelta(days=1):
        return f"{clock} yesterday"
    return f"{clock} on {local.day} {local:%b %Y}"
