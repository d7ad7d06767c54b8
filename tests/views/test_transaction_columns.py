"""Transaction columns declared once: every table and every export reads one declaration."""

import datetime as dt
import pathlib
from decimal import Decimal

from pytest_django.asserts import assertInHTML

from customers import transaction_columns as tc
from customers.upstream.types import Transaction

ROOT = pathlib.Path(__file__).resolve().parents[2]


def transaction(**overrides) -> Transaction:
    values = dict(
        id="uuid-<1>",
        type="sales",
        invoice_no="INV<1>",
        amount=Decimal("11600.00"),
        tax_amount=None,
        status="failed",
        branch_id=None,
        created_at=dt.datetime(2025, 1, 31, 21, 30, tzinfo=dt.UTC),
    )
    return Transaction(**(values | overrides))


def test_each_table_takes_its_headers_from_the_columns():
    labels = {name: [label for label, _ in tc.headers(table)] for name, table in tc.TABLES.items()}

    assert labels["history"] == ["Date", "Invoice", "Type", "Amount", "Tax", "Status", "Branch"]
    assert labels["recent"] == ["Date", "Invoice", "Type", "Amount", "Status"]
    assert labels["statement"] == [
        "Date", "Invoice", "Type", "Amount (KES)", "Tax (KES)", "Status",
    ]  # fmt: skip
    assert tc.export_header() == [
        "Date (Nairobi time)", "Invoice", "Type", "Amount (KES)", "Tax (KES)", "Status",
        "Branch", "Transaction ID",
    ]  # fmt: skip
    assert {3, 4} == tc.MONEY_INDEXES


def test_cells_escape_and_the_statement_marks_what_its_totals_leave_out():
    t = transaction()

    history = tc.row(t, tc.HISTORY)
    statement = tc.row(t, tc.STATEMENT)

    assertInHTML(
        '<tr><td class="nowrap">1 Feb 2025, 00:30</td><td class="invoice-no">INV&lt;1&gt;</td>'
        '<td>Sales</td><td class="numeric nowrap">KES 11,600.00</td>'
        '<td class="numeric nowrap">—</td><td>Failed</td><td>—</td></tr>',
        history,
    )
    assert statement.startswith('<tr class="not-counted">')
    assert '<td class="numeric nowrap">11,600.00</td>' in statement
    assert "<td>Failed*</td>" in statement
    assert not tc.row(transaction(status="success"), tc.STATEMENT).startswith('<tr class="')
    assert tc.export_row(t) == [
        t.created_at, "INV<1>", "Sales", Decimal("11600.00"), None, "Failed", None, "uuid-<1>",
    ]  # fmt: skip


def test_no_template_writes_a_transaction_cell_of_its_own():
    templates = ["transactions.html", "detail.html", "statement.html"]
    for name in templates:
        text = (ROOT / "templates" / "customers" / name).read_text()
        assert "t.invoice_no" not in text and "{{ t." not in text, name


def test_the_type_is_named_as_type_labels_names_it(monkeypatch):
    """The type cell and its export value read reports.monthly.TYPE_LABELS (an unknown
    type is capitalised)."""
    from customers.reports import monthly

    monkeypatch.setitem(monthly.TYPE_LABELS, "sales", "Sales to customers")
    t = transaction()

    assert "<td>Sales to customers</td>" in tc.row(t, tc.HISTORY)
    assert tc.export_row(t)[2] == "Sales to customers"
    assert tc.export_row(transaction(type="refund"))[2] == "Refund"


def test_the_xlsx_writes_amounts_in_the_currency_of_the_columns():
    """The XLSX number format names the same currency as the screens and the headers."""
    import io

    from openpyxl import load_workbook

    from customers.exports import writing

    data = writing.xlsx_bytes(["Amount (KES)"], [[Decimal("1250000.50")]], amounts={0})

    cell = load_workbook(io.BytesIO(data)).active["A2"]
    assert cell.value == 1250000.5
    assert cell.number_format == f'"{tc.CURRENCY}" #,##0.00' == '"KES" #,##0.00'
