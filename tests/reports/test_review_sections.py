"""The branch review's sections as pure functions of typed results (no upstream, no DB)."""

import datetime as dt
from decimal import Decimal

from customers.review import display, sections
from customers.review.gathering import CustomerFacts
from customers.upstream.types import (
    CustomerDetail,
    CustomerSummary,
    Transaction,
    TransactionSummary,
)

NOW = dt.datetime(2026, 6, 15, 6, 30, tzinfo=dt.UTC)  # 09:30 in Nairobi


def facts(
    id,
    name,
    *,
    tin=None,
    phone=None,
    active=True,
    created=None,
    sales="0",
    count=0,
    last=None,
    txs=(),
):
    profile = dict(
        id=id,
        customer_no=f"C{id:03d}",
        name=name,
        tin=tin,
        phone=phone,
        email=None,
        address=None,
        branch_id="00",
        is_active=active,
    )
    summary = TransactionSummary(count, Decimal(sales), 0, last)
    return CustomerFacts(
        summary=CustomerSummary(**profile, total_transactions=count, created_at=created),
        detail=CustomerDetail(
            **profile, branch_name=None, metadata={}, transaction_summary=summary
        ),
        transactions=list(txs),
    )


def tx(id, kind, amount, when, status="success"):
    return Transaction(id, kind, "", Decimal(amount), None, status, "00", when)


def test_business_words_are_whole_words_in_any_case():
    found = sections.business_without_tin(
        [
            facts(1, "Baraka HARDWARE"),
            facts(2, "Coast Co."),
            facts(3, "Cobalt Mining"),  # "Co" inside a word: not a business word
            facts(4, "Jane Wanjiku"),
            facts(5, "Tumaini Ltd", tin="P000123456X"),  # has a TIN
        ]
    )
    assert [(f["id"], f["word"]) for f in found] == [(1, "HARDWARE"), (2, "Co")]


def test_tin_or_phone_to_fix():
    found = sections.to_fix(
        [
            facts(1, "A", tin="P000123456X", phone="+254712345678"),
            facts(2, "B", tin="P12345"),
            facts(3, "C", phone="+254192375643"),  # an old number today's rule refuses
        ]
    )
    assert [f["id"] for f in found] == [2, 3]
    assert "TIN P12345" in found[0]["problems"]


def test_duplicates_by_tin_phone_and_name_ignoring_case_and_punctuation():
    groups = sections.duplicates(
        [
            facts(1, "Mama Mboga Stores", phone="+254712345678"),
            facts(2, "mama-mboga  stores.", phone="0712 345678"),
            facts(3, "Other", tin="P000123456X"),
            facts(4, "Another", tin="P000123456X"),
            facts(5, "Alone"),
        ]
    )
    assert [(g["by"], [c["id"] for c in g["customers"]]) for g in groups] == [
        ("Name", [1, 2]),
        ("Phone", [1, 2]),
        ("TIN", [3, 4]),
    ]


def test_dormant_top_and_glance():
    year_ago = NOW - dt.timedelta(days=366)
    customers = [
        facts(1, "Busy", sales="900", count=9, last=NOW, created=NOW),
        facts(2, "Quiet", sales="50", count=1, last=year_ago, created=NOW - dt.timedelta(days=40)),
        facts(3, "Never", created=NOW - dt.timedelta(days=400)),
        facts(4, "Closed", active=False, sales="100", count=2, last=year_ago),
    ]
    assert [d["id"] for d in sections.dormant(customers, now=NOW)] == [2, 3]
    assert [t["id"] for t in sections.top_by_sales(customers)] == [1, 4, 2, 3]
    assert sections.glance(customers, now=NOW) == {
        "customers": 4,
        "active": 3,
        "inactive": 1,
        "new_this_month": 1,
        "new_this_year": 2,
        "transactions": 12,
        "sales_amount": "1050",
    }


def test_months_count_successful_transactions_once_and_compare_a_year_earlier():
    june = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
    last_june = dt.datetime(2025, 6, 3, 12, tzinfo=dt.UTC)
    shared = tx("t1", "sales", "100", june)
    customers = [
        facts(1, "A", txs=[shared, tx("t2", "sales", "5", june, status="failed")]),
        facts(2, "B", txs=[shared, tx("t3", "purchases", "40", last_june)]),
    ]
    rows = sections.monthly(customers, now=NOW)
    assert len(rows) == 24 and rows[0]["month"] == "2024-07" and rows[-1]["month"] == "2026-06"
    assert rows[-1]["sales_count"] == 1 and rows[-1]["sales_amount"] == "100"
    table = display.year_on_year(display.history(rows))
    assert len(table) == 12 and table[0].month.iso == "2026-06"
    assert table[0].now.sales.amount == 100 and table[0].year_before.purchases.amount == 40


def test_the_csv_names_the_sales_column_from_the_type_label_and_the_currency():
    from customers.review import columns

    assert columns.csv_header("top") == [
        "Customer ID", "Customer number", "Customer name", "Sales (KES)", "Transactions",
        "Last transaction",
    ]  # fmt: skip
    assert columns.headers("top")[2] == ("Sales", "numeric nowrap")  # amounts say KES


def test_each_review_list_shows_and_exports_the_columns_it_declares():
    from customers.review import columns, display

    item = {
        "id": 7, "customer_no": "C7", "name": "A & B", "sales": "1250.5", "transactions": 3,
        "last_transaction_at": None, "word": "Ltd", "problems": "TIN",
    }  # fmt: skip
    shown = display._list("top", "Top", [item])
    assert shown["headers"] == columns.headers("top")
    assert str(shown["rows"][0]) == (
        '<td><a href="/customers/7/">C7</a></td><td>A &amp; B</td>'
        '<td class="numeric nowrap">KES 1,250.50</td><td class="numeric">3</td>'
        '<td class="nowrap">None</td>'
    )
    dormant = display._list("dormant", "Dormant", [item])
    assert str(dormant["rows"][0]).endswith('<td class="nowrap">Never</td>')
    assert columns.csv_row("no_tin", item) == [7, "C7", "A & B", "Ltd"]
