"""The 12-month chart: figures against the sandbox's own rows, summed independently."""

import datetime as dt
import random
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from customers.reports import fetching
from sandbox.models import SandboxBranch, SandboxCustomer, SandboxTransaction
from tests.fakes import transaction

NAIROBI = ZoneInfo("Africa/Nairobi")


# --- independent reckoning -------------------------------------------------------------


def _window_start() -> dt.datetime:
    """Midnight (Nairobi) of the first day of the month eleven months ago."""
    today = dt.datetime.now(NAIROBI).date()
    index = today.year * 12 + today.month - 1 - 11
    return dt.datetime(index // 12, index % 12 + 1, 1, tzinfo=NAIROBI)


def _sandbox_sums(customer, since=None) -> dict:
    """{("2026-03", "sales"): (count, amount)} by the database, months truncated in Nairobi."""
    rows = (
        SandboxTransaction.objects.filter(
            customer=customer, status="success", created_at__gte=since or _window_start()
        )
        .annotate(month=TruncMonth("created_at", tzinfo=NAIROBI))
        .values("month", "type")
        .annotate(n=Count("pk"), amount=Sum("total_amount"))
    )
    return {
        (row["month"].strftime("%Y-%m"), row["type"]): (row["n"], row["amount"]) for row in rows
    }


def _chart_sums(history) -> dict:
    sums = {}
    for row in history.rows:
        for kind in ("sales", "purchases"):
            totals = row.totals_for(kind)
            if row.loaded and totals.count:
                sums[(row.month.iso, kind)] = (totals.count, totals.amount)
    return sums


def _table(html: str) -> list[list[str]]:
    body = html.split('<details class="chart-table">', 1)[1].split("</details>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        ]
        for row in rows
    ]


# --- sandbox data ----------------------------------------------------------------------


@pytest.fixture
def shop(sandbox_api, db):
    branch = SandboxBranch.objects.create(code="00", name="Head Office")
    return SandboxCustomer.objects.create(
        branch=branch, customer_no="CUST0001", name="Jamii Trading Ltd"
    )


def _add(customer, when, *, kind="sales", amount="100.00", status="success", n=0):
    amount = Decimal(amount)
    return SandboxTransaction.objects.create(
        customer=customer,
        branch_id="00",
        type=kind,
        invoice_no=f"INV-{n:06d}",
        total_amount=amount,
        tax_amount=(amount * 16 / 116).quantize(Decimal("0.01")),
        status=status,
        created_at=when,
    )


def _random_history(customer, count, *, seed=7):
    rng = random.Random(seed)
    start = _window_start() - dt.timedelta(days=45)  # some before the window
    span = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5) - start).total_seconds()
    for n in range(count):
        when = start + dt.timedelta(seconds=rng.uniform(0, span))
        _add(
            customer,
            when,
            kind=rng.choice(["sales", "sales", "purchases"]),
            amount=f"{rng.randint(100, 2_000_000)}.{rng.randint(0, 99):02d}",
            status=rng.choice(["success"] * 8 + ["failed", "pending"]),
            n=n,
        )


def _month_edges(customer):
    """Transactions either side of Nairobi's month boundaries (UTC+3), inside the window."""
    edge = _window_start()
    for n in range(1, 11):
        index = edge.year * 12 + edge.month - 1 + n
        midnight = dt.datetime(index // 12, index % 12 + 1, 1, tzinfo=NAIROBI)
        _add(customer, midnight - dt.timedelta(minutes=1), amount="1000.01", n=900 + n)
        _add(customer, midnight, kind="purchases", amount="2000.02", n=950 + n)
    _add(customer, edge - dt.timedelta(seconds=1), amount="999999.99", n=999)  # before


# --- tests -----------------------------------------------------------------------------

pytestmark = pytest.mark.django_db(transaction=True)


def test_figures_match_the_sandbox_summed_independently(admin_client, shop):
    _random_history(shop, 160)
    _month_edges(shop)

    response = admin_client.get(f"/customers/{shop.id}/chart/")

    assert response.status_code == 200
    history = response.context["history"]
    assert history.complete and len(history.rows) == 12
    assert history.rows[0].month.starts_at == _window_start()
    expected = _sandbox_sums(shop)
    assert _chart_sums(history) == expected
    assert history.sales.amount == sum(
        (amount for (_, kind), (_, amount) in expected.items() if kind == "sales"), Decimal(0)
    )
    excluded = (
        SandboxTransaction.objects.filter(customer=shop, created_at__gte=_window_start())
        .exclude(status="success")
        .count()
    )
    assert history.not_counted == excluded > 0

    # The table says the same, to the cent.
    table = _table(response.content.decode())
    assert table[0] == ["Month", "Sales", "Sales amount", "Purchases", "Purchases amount"]
    for row, month in zip(table[1:13], history.rows, strict=True):
        count, amount = expected.get((month.month.iso, "sales"), (0, Decimal(0)))
        assert row[1:3] == [str(count), f"KES {amount:,.2f}"]


def test_the_chart_is_an_accessible_svg(admin_client, shop):
    _add(shop, dt.datetime.now(dt.UTC) - dt.timedelta(hours=1), amount="1234.50", n=1)

    html = admin_client.get(f"/customers/{shop.id}/chart/").content.decode()

    svg = html.split('<svg class="chart-svg"', 1)[1].split("</svg>", 1)[0]
    assert "<title>Sales and purchases per month" in svg
    assert "Amount (KES)" in svg and ">Month</text>" in svg
    bars = re.findall(
        r'<rect class="bar bar-(\w+)"[^>]*tabindex="0" role="img" '
        r'aria-label="([^"]+)"><title>([^<]+)</title>',
        svg,
        flags=re.S,
    )
    assert len(bars) == 24
    month = dt.datetime.now(NAIROBI).strftime("%B %Y")
    assert (
        "sales",
        f"Sales, {month}: KES 1,234.50 from 1 transaction",
        f"Sales, {month}: KES 1,234.50 from 1 transaction",
    ) in bars
    assert "<summary>Show as table</summary>" in html
    assert "style=" not in html.split("<body", 1)[1]  # CSP: no inline styles
    assert "<script>" not in html


def test_fragment_for_htmx_and_page_for_the_link(admin_client, shop):
    fragment = admin_client.get(f"/customers/{shop.id}/chart/", HTTP_HX_REQUEST="true")
    page = admin_client.get(f"/customers/{shop.id}/chart/")

    assert "<html" not in fragment.content.decode()
    assert '<figure class="report-chart">' in fragment.content.decode()
    assert "<html" in page.content.decode() and "report.css" in page.content.decode()
    assert "HX-Request" in fragment["Vary"]


def test_an_empty_history(admin_client, shop):
    response = admin_client.get(f"/customers/{shop.id}/chart/")

    history = response.context["history"]
    assert history.is_empty and history.complete
    assert all(r.sales.count == r.purchases.count == 0 for r in history.rows)
    html = response.content.decode()
    assert "No sales or purchases in these 12 months" in html
    assert "Not loaded" not in html
    assert _table(html)[-1] == ["Total, 12 months", "0", "KES 0.00", "0", "KES 0.00"]


def test_a_history_longer_than_the_budget_says_so(admin_client, shop, monkeypatch):
    monkeypatch.setattr(fetching, "MAX_PAGES", 1)  # 25 transactions (one page) at most
    start = _window_start()
    for n in range(36):  # every nine days, newest last: all before "now" on any day
        _add(shop, start + dt.timedelta(days=9 * n + 1, hours=n % 7), amount=f"{100 + n}.00", n=n)

    response = admin_client.get(f"/customers/{shop.id}/chart/")

    history = response.context["history"]
    assert not history.complete and history.read == 25 and history.total_in_window == 36
    oldest_read = (
        SandboxTransaction.objects.filter(customer=shop)
        .order_by("-created_at")[24]
        .created_at.astimezone(NAIROBI)
    )
    first_complete = (oldest_read.replace(day=28) + dt.timedelta(days=5)).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )
    loaded = [row.month.starts_at for row in history.rows if row.loaded]
    assert loaded[0] == first_complete
    assert all(row.month.starts_at < first_complete for row in history.rows if not row.loaded)
    assert _chart_sums(history) == _sandbox_sums(shop, since=first_complete)
    html = response.content.decode()
    assert "Not every transaction is in this chart." in html
    assert "This customer has 36 transactions in these 12 months" in html
    assert "the 25 most recent" in html
    assert 'class="month-missing"' in html and "Not loaded" in html
    assert "Total of the loaded months" in html


@pytest.mark.django_db
def test_pages_are_fetched_within_the_budget(admin_client, served_upstream, branches):
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    served_upstream.histories[1] = [
        transaction(n, created_at=(stamp - dt.timedelta(minutes=n)).isoformat())
        for n in range(2500)
    ]

    response = admin_client.get("/customers/1/chart/")

    # 25 a page, as documented: pages 1 to MAX_PAGES, counted from `meta.last_page`
    assert sorted(served_upstream.pages_asked("customers/1/transactions")) == list(
        range(1, fetching.MAX_PAGES + 1)
    )
    params = served_upstream.queries_to("customers/1/transactions")[0]
    assert "per_page" not in params
    assert params["from_date"] == _window_start().date().isoformat()
    assert params["to_date"] == dt.datetime.now(NAIROBI).date().isoformat()
    history = response.context["history"]
    assert history.read == 25 * fetching.MAX_PAGES and not history.complete


@pytest.mark.django_db
def test_an_unordered_history_draws_no_month(admin_client, served_upstream, branches, monkeypatch):
    monkeypatch.setattr(fetching, "MAX_PAGES", 1)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    served_upstream.histories[1] = [
        transaction(n, created_at=(stamp - dt.timedelta(minutes=(n * 37) % 101)).isoformat())
        for n in range(150)
    ]

    response = admin_client.get("/customers/1/chart/")

    history = response.context["history"]
    assert not history.ordered and not history.loaded_rows
    assert "No month could be totalled reliably" in response.content.decode()


@pytest.mark.django_db
def test_chart_pages_not_back_by_the_deadline_are_not_loaded(
    admin_client, served_upstream, branches, settings, slow_pages
):
    settings.CTAX_PAGE_DEADLINE = 0.3
    newest = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)  # the tests' frozen clock
    served_upstream.histories[1] = [
        transaction(n, created_at=(newest - dt.timedelta(days=n)).strftime("%Y-%m-%dT%H:%M:%SZ"))
        for n in range(250)
    ]
    slow_pages.block(2)  # pages 1 and 3 answer, page 2 never does

    response = admin_client.get("/customers/1/chart/")

    assert response.status_code == 200
    history = response.context["history"]
    assert not history.complete and history.read == 25  # the newest page, with no gap
    html = response.content.decode()
    assert "Not every transaction is in this chart." in html
    assert 'class="month-missing"' in html
