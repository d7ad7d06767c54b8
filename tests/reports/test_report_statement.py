"""The printable statement: every transaction of the period, totals per type, A4 print CSS."""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count, Sum

from customers.reports import fetching
from sandbox.models import SandboxBranch, SandboxCustomer, SandboxTransaction
from tests.fakes import transaction

NAIROBI = ZoneInfo("Africa/Nairobi")
REPORT_CSS = Path(__file__).resolve().parents[2] / "static" / "ctax" / "report.css"


@pytest.fixture
def shop(sandbox_api, db):
    branch = SandboxBranch.objects.create(code="00", name="Head Office")
    return SandboxCustomer.objects.create(
        branch=branch,
        customer_no="CUST0007",
        name="Baraka Hardware & Sons <Ltd>",
        tin="A000123456Z",
        address="Moi Avenue\nP.O. Box 1-00100, Nairobi",
    )


def _at(day: str, hour: int) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=NAIROBI)


ROWS = [  # (day, hour Nairobi, type, amount, status)
    ("2025-03-01", 0, "sales", "11600.00", "success"),
    ("2025-03-05", 10, "purchases", "2320.50", "success"),
    ("2025-03-09", 12, "sales", "999.99", "failed"),
    ("2025-03-15", 9, "sales", "150000.00", "success"),
    ("2025-03-20", 16, "purchases", "580.00", "pending"),
    ("2025-03-31", 23, "sales", "0.01", "success"),
    ("2025-04-01", 0, "sales", "777.00", "success"),  # after the period (Nairobi)
    ("2025-02-28", 23, "purchases", "888.00", "success"),  # before it
]


def _fill(customer):
    for n, (day, hour, kind, amount, status) in enumerate(ROWS):
        amount = Decimal(amount)
        SandboxTransaction.objects.create(
            customer=customer,
            branch_id="00",
            type=kind,
            invoice_no=f"DOC-{n:03d}",
            total_amount=amount,
            tax_amount=(amount * 16 / 116).quantize(Decimal("0.01")),
            status=status,
            created_at=_at(day, hour),
        )


def _cells(html: str, table_class: str) -> list[list[str]]:
    table = html.split(f'class="report-table {table_class}"', 1)[1].split("</table>", 1)[0]
    return [
        [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)
    ]


@pytest.mark.django_db(transaction=True)
def test_statement_lists_the_period_and_totals_each_type(admin_client, shop):
    _fill(shop)

    response = admin_client.get(
        f"/customers/{shop.id}/statement/?from_date=2025-03-01&to_date=2025-03-31"
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Customer statement" in html and "1 Mar 2025 – 31 Mar 2025" in html
    assert "Baraka Hardware &amp; Sons &lt;Ltd&gt;" in html and "<Ltd>" not in html
    assert "A000123456Z" in html and "Moi Avenue<br>P.O. Box 1-00100, Nairobi" in html
    assert "Branch 00 — Head Office" in html

    lines = _cells(html, "statement-table")
    assert lines[0] == ["Date", "Invoice", "Type", "Amount (KES)", "Tax (KES)", "Status"]
    assert [row[1] for row in lines[1:]] == [f"DOC-{n:03d}" for n in range(6)]  # oldest first
    assert lines[1] == ["1 Mar 2025, 00:00", "DOC-000", "Sales", "11,600.00", "1,600.00", "Success"]
    assert lines[3][5] == "Failed*"

    period = SandboxTransaction.objects.filter(
        customer=shop,
        status="success",
        created_at__gte=_at("2025-03-01", 0),
        created_at__lt=_at("2025-04-01", 0),
    )
    totals = _cells(html, "totals-table")
    assert totals[0] == ["Type", "Transactions", "Amount (KES)", "Tax (KES)"]
    for row, kind in zip(totals[1:], ["sales", "purchases"], strict=True):
        sums = period.filter(type=kind).aggregate(
            n=Count("pk"), a=Sum("total_amount"), t=Sum("tax_amount")
        )
        assert row == [kind.capitalize(), str(sums["n"]), f"{sums['a']:,.2f}", f"{sums['t']:,.2f}"]
    assert "the 2 pending or failed transactions marked * (KES 1,579.99) are listed" in html


@pytest.mark.django_db(transaction=True)
def test_without_dates_the_statement_covers_the_whole_history(admin_client, shop):
    response = admin_client.get(f"/customers/{shop.id}/statement/")

    today = dt.datetime.now(NAIROBI).date()
    assert response.context["from_date"] is None
    assert response.context["to_date"] == today
    html = response.content.decode()
    assert f"All transactions to {today:%-d %b %Y}" in html
    assert 'name="from_date" value=' not in html  # no period imposed on the inputs
    assert "No transactions with this customer in this period." in html


@pytest.mark.django_db
def test_a_backwards_period_is_refused_without_reading_the_history(
    admin_client, served_upstream, branches
):
    response = admin_client.get("/customers/1/statement/?from_date=2025-04-01&to_date=2025-03-01")

    assert response.status_code == 400
    assert "The end date must be on or after the start date." in response.content.decode()
    assert served_upstream.queries_to("customers/1/transactions") == []


@pytest.mark.django_db
def test_the_whole_history_is_not_asked_with_dates(admin_client, served_upstream, branches):
    served_upstream.histories[1] = [transaction(n) for n in range(3)]

    response = admin_client.get("/customers/1/statement/")

    assert response.status_code == 200
    assert served_upstream.queries_to("customers/1/transactions") == [{"page": "1"}]
    assert "Partial statement" not in response.content.decode()


@pytest.mark.django_db
def test_a_history_longer_than_one_statement_is_labelled_partial(
    admin_client, served_upstream, branches, monkeypatch
):
    monkeypatch.setattr(fetching, "MAX_PAGES", 2)
    served_upstream.histories[1] = [transaction(n) for n in range(51)]

    response = admin_client.get("/customers/1/statement/")

    html = " ".join(response.content.decode().split())
    assert "Partial statement." in html
    assert "This customer has 51 transactions; the 50 most recent are on this statement" in html
    assert "a statement reads at most 50," in html
    assert sorted(served_upstream.pages_asked("customers/1/transactions")) == [1, 2]
    assert html.count("INV-0") == 50


@pytest.mark.django_db
def test_pages_not_back_by_the_deadline_make_a_partial_statement(
    admin_client, served_upstream, branches, settings, slow_pages
):
    settings.CTAX_PAGE_DEADLINE = 0.3
    served_upstream.histories[1] = [transaction(n) for n in range(250)]
    slow_pages.block(3)  # page 3 never answers

    response = admin_client.get("/customers/1/statement/")

    html = " ".join(response.content.decode().split())
    assert response.status_code == 200
    assert "the 50 most recent are on this statement" in html


@pytest.mark.django_db
def test_the_letterhead_has_the_business_pin_address_and_logo(
    admin_client, served_upstream, branches, settings
):
    settings.CTAX_BUSINESS_NAME = "Wanjiku Traders"
    settings.CTAX_BUSINESS_PIN = "P051234567Q"
    settings.CTAX_BUSINESS_ADDRESS = "P.O. Box 123\nNairobi"
    settings.CTAX_BUSINESS_LOGO = "ctax/logo.png"

    html = admin_client.get("/customers/1/statement/").content.decode()

    assert '<p class="business-name">Wanjiku Traders</p>' in html
    assert "PIN: P051234567Q" in html
    assert "P.O. Box 123<br>Nairobi" in html
    assert (
        '<img class="business-logo" src="/static/ctax/logo.png" alt="Wanjiku Traders logo">' in html
    )


@pytest.mark.django_db
def test_the_letterhead_without_pin_address_or_logo(
    admin_client, served_upstream, branches, settings
):
    settings.CTAX_BUSINESS_PIN = ""
    settings.CTAX_BUSINESS_ADDRESS = ""
    settings.CTAX_BUSINESS_LOGO = ""

    html = admin_client.get("/customers/1/statement/").content.decode()

    assert "business-logo" not in html
    assert "PIN:" not in html


@pytest.mark.django_db
def test_an_unset_business_name_names_no_business(
    admin_client, served_upstream, branches, settings
):
    """Not "ctaxoffice": a customer would take the software's name for the business's."""
    settings.CTAX_BUSINESS_NAME = ""

    html = " ".join(admin_client.get("/customers/1/statement/").content.decode().split())

    assert 'class="business-name"' not in html
    assert "Issued by" not in html
    assert "Issued on" in html


@pytest.mark.django_db
def test_the_statement_honours_the_type_filter_and_says_so(admin_client, served_upstream, branches):
    served_upstream.histories[1] = [transaction(1, type_="sales", amount="100.00")]  # as filtered

    response = admin_client.get(
        "/customers/1/statement/?type=sales&from_date=2025-01-01&to_date=2025-01-31"
    )

    html = " ".join(response.content.decode().split())
    assert served_upstream.queries_to("customers/1/transactions") == [
        {"type": "sales", "from_date": "2025-01-01", "to_date": "2025-01-31", "page": "1"}
    ]
    assert '<dd class="statement-filter">Sales only</dd>' in html
    assert "1 Jan 2025 – 31 Jan 2025" in html
    assert _cells(html, "totals-table")[1:] == [["Sales", "1", "100.00", "13.79"]]
    assert 'value="sales" selected' in html  # the form keeps the filter


@pytest.mark.django_db
def test_the_historys_statement_link_carries_every_filter(admin_client, served_upstream, branches):
    served_upstream.histories[1] = [transaction(1)]

    html = admin_client.get(
        "/customers/1/transactions/?type=sales&from_date=2025-01-01&to_date=2025-01-31&page=1"
    ).content.decode()

    assert (
        'href="/customers/1/statement/?type=sales&amp;from_date=2025-01-01&amp;to_date=2025-01-31"'
        in html
    )


def test_the_print_stylesheet_is_a4_without_navigation():
    css = REPORT_CSS.read_text()
    assert re.search(r"@page \{\s*size: A4;", css)
    print_rules = css.split("@media print", 1)[1]
    for hidden in ("#header", "nav", ".breadcrumbs", ".no-print", "form"):
        assert hidden in print_rules.split("display: none")[0]


@pytest.mark.django_db
def test_the_statement_writes_money_as_the_kes_filters_do(
    admin_client, served_upstream, branches, monkeypatch
):
    """Its totals, their headers and the note on left-out transactions take the currency and
    the format from transaction_columns (CURRENCY, kes), as every other screen does."""
    from customers import transaction_columns

    monkeypatch.setattr(transaction_columns, "CURRENCY", "TZS")
    served_upstream.histories[1] = [
        transaction(1, amount="1250000.50", tax="172413.86"),
        transaction(2, amount="1000.00", tax="137.93", status="failed"),
        transaction(3, amount="234.56", tax="32.35", status="pending"),
    ]

    response = admin_client.get(
        "/customers/1/statement/?type=sales&from_date=2025-01-01&to_date=2025-01-31"
    )

    html = " ".join(response.content.decode().split())
    totals = _cells(html, "totals-table")
    assert totals[0] == ["Type", "Transactions", "Amount (TZS)", "Tax (TZS)"]
    assert totals[1:] == [["Sales", "1", "1,250,000.50", "172,413.86"]]
    assert totals[1][2:] == [
        transaction_columns.kes(Decimal("1250000.50"), prefix=False),
        transaction_columns.kes(Decimal("172413.86"), prefix=False),
    ]
    assert "the 2 pending or failed transactions marked * (TZS 1,234.56) are listed" in html
