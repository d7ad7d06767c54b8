"""The review's sections, as pure functions of what a refresh gathered.

Each returns plain JSON values (amounts as decimal strings, moments as ISO 8601) so the
snapshot stores exactly what the page shows, and nothing else of the customers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal

from .. import phones
from ..forms import TIN_PATTERN
from ..reports.months import NAIROBI, Month
from .gathering import CustomerFacts

MONTHS = 24
TOP = 10
COUNTED_STATUS = "success"
BUSINESS_WORDS = [
    "Ltd",
    "Limited",
    "Co",
    "Company",
    "Enterprises",
    "Traders",
    "Trading",
    "Stores",
    "Supplies",
    "Agencies",
    "Holdings",
    "Hardware",
    "Pharmacy",
    "Wholesalers",
    "Motors",
    "Electronics",
    "Logistics",
    "Bakery",
    "Agrovet",
    "Textiles",
    "Butchery",
    "Investments",
    "Ventures",
    "Distributors",
    "Services",
    "Sacco",
    "Sons",
    "Group",
]
BUSINESS_NAME = re.compile(r"\b(?:" + "|".join(BUSINESS_WORDS) + r")\b", re.IGNORECASE)
NOT_NAME_CHARACTERS = re.compile(r"[\W_]+")


def window_start(now: dt.datetime) -> dt.date:
    """The first day of the oldest of the MONTHS months ending with `now`'s (Nairobi)."""
    return Month.of(now).shifted(1 - MONTHS).first_day


def build(customers: list[CustomerFacts], *, now: dt.datetime) -> dict:
    return {
        "glance": glance(customers, now=now),
        "monthly": monthly(customers, now=now),
        "top": top_by_sales(customers),
        "dormant": dormant(customers, now=now),
        "no_tin": business_without_tin(customers),
        "to_fix": to_fix(customers),
        "duplicates": duplicates(customers),
    }


def entry(facts: CustomerFacts, **extra) -> dict:
    """How every list names a customer: id (for the link), number and name."""
    return {
        "id": facts.summary.id,
        "customer_no": facts.summary.customer_no,
        "name": facts.summary.name,
        **extra,
    }


def _summary(facts: CustomerFacts):
    return facts.detail.transaction_summary


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def glance(customers: list[CustomerFacts], *, now: dt.datetime) -> dict:
    this_month = Month.of(now)
    created = [f.summary.created_at for f in customers if f.summary.created_at]
    summaries = [s for s in map(_summary, customers) if s is not None]
    return {
        "customers": len(customers),
        "active": sum(f.summary.is_active for f in customers),
        "inactive": sum(not f.summary.is_active for f in customers),
        "new_this_month": sum(Month.of(c) == this_month for c in created),
        "new_this_year": sum(c.astimezone(NAIROBI).year == this_month.year for c in created),
        "transactions": sum(s.total_transactions for s in summaries),
        "sales_amount": str(sum((s.total_sales_amount for s in summaries), Decimal(0))),
    }


def monthly(customers: list[CustomerFacts], *, now: dt.datetime) -> list[dict]:
    """The MONTHS months ending with `now`'s, oldest first: successful sales and purchases,
    each transaction counted once."""
    months = [Month.of(now).shifted(offset) for offset in range(1 - MONTHS, 1)]
    rows = {m: {"sales": [0, Decimal(0)], "purchases": [0, Decimal(0)]} for m in months}
    seen: set[str] = set()
    for facts in customers:
        for tx in facts.transactions:
            if tx.id in seen or tx.status != COUNTED_STATUS or tx.created_at is None:
                continue
            seen.add(tx.id)
            row = rows.get(Month.of(tx.created_at))
            if row is not None and tx.type in row:
                row[tx.type][0] += 1
                row[tx.type][1] += tx.amount
    return [
        {
            "month": m.iso,
            "sales_count": rows[m]["sales"][0],
            "sales_amount": str(rows[m]["sales"][1]),
            "purchases_count": rows[m]["purchases"][0],
            "purchases_amount": str(rows[m]["purchases"][1]),
        }
        for m in months
    ]


def top_by_sales(customers: list[CustomerFacts]) -> list[dict]:
    ranked = sorted(
        (f for f in customers if _summary(f) is not None),
        key=lambda f: (-_summary(f).total_sales_amount, f.summary.id),
    )
    return [
        entry(
            f,
            sales=str(_summary(f).total_sales_amount),
            transactions=_summary(f).total_transactions,
            last_transaction_at=_iso(_summary(f).last_transaction_at),
        )
        for f in ranked[:TOP]
    ]


def year_before(now: dt.datetime) -> dt.datetime:
    try:
        return now.replace(year=now.year - 1)
    except ValueError:  # 29 February
        return now.replace(year=now.year - 1, day=28)


def last_transaction_at(detail) -> dt.datetime | None:
    summary = detail.transaction_summary
    return summary.last_transaction_at if summary else None


def is_dormant(*, is_active: bool, last: dt.datetime | None, now: dt.datetime) -> bool:
    """Active, with no transaction in the last 12 months (or none at all)."""
    return is_active and (last is None or last < year_before(now))


def dormant(customers: list[CustomerFacts], *, now: dt.datetime) -> list[dict]:
    found = []
    for f in customers:
        last = last_transaction_at(f.detail)
        if is_dormant(is_active=f.summary.is_active, last=last, now=now):
            found.append(entry(f, last_transaction_at=_iso(last)))
    return found


def business_without_tin(customers: list[CustomerFacts]) -> list[dict]:
    return [
        entry(f, word=match.group(0))
        for f in customers
        if not f.summary.tin and (match := BUSINESS_NAME.search(f.summary.name))
    ]


def phone_refused(value: str) -> bool:
    return phones.valid(value) is None


def to_fix(customers: list[CustomerFacts]) -> list[dict]:
    found = []
    for f in customers:
        problems = []
        if f.summary.tin and not TIN_PATTERN.fullmatch(f.summary.tin):
            problems.append(f"TIN {f.summary.tin} is not in the documented format")
        if f.summary.phone and phone_refused(f.summary.phone):
            problems.append(f"phone {f.summary.phone} is not a valid number")
        if problems:
            found.append(entry(f, problems="; ".join(problems)))
    return found


def _phone_key(value: str) -> str:
    number = phones.parse(value)
    return phones.stored_form(number) if number is not None else value.strip()


def duplicates(customers: list[CustomerFacts]) -> list[dict]:
    """Groups of two or more customers sharing a TIN, a phone, or a name once case,
    spaces and punctuation are ignored."""
    groups: dict[tuple[str, str], list[CustomerFacts]] = defaultdict(list)
    for f in customers:
        if f.summary.tin:
            groups[("TIN", f.summary.tin.strip().upper())].append(f)
        if f.summary.phone:
            groups[("Phone", _phone_key(f.summary.phone))].append(f)
        name_key = NOT_NAME_CHARACTERS.sub("", f.summary.name).casefold()
        if name_key:
            groups[("Name", name_key)].append(f)
    return [
        {
            "by": by,
            "value": members[0].summary.name if by == "Name" else value,
            "customers": [entry(f) for f in members],
        }
        for (by, value), members in sorted(groups.items())
        if len(members) >= 2
    ]
