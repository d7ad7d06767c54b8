"""The history's totals: the whole filtered set, per type, successful only, within budget."""

import re
import threading

import pytest

from customers.fanout import Budget
from customers.reports import fetching
from customers.reports.fetching import TransactionQuery
from tests.reports.report_fakes import transaction

pytestmark = pytest.mark.django_db

URL = "/customers/1/transactions/"


def _mixed(count: int) -> list[dict]:
    """Alternately sales and purchases; every 10th failed, every 15th pending."""
    rows = []
    for n in range(count):
        status = "failed" if n % 10 == 9 else "pending" if n % 15 == 14 else "success"
        kind = "sales" if n % 2 == 0 else "purchases"
        rows.append(transaction(n, type_=kind, amount="10.00", tax="1.00", status=status))
    return rows


def _text(response) -> str:
    """The page's text, tags dropped, spaces squeezed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_totals_cover_every_page_per_type_successful_only(admin_client, fake, branches):
    fake.transactions[1] = _mixed(150)

    response = admin_client.get(URL)

    body = _text(response)
    rows = fake.transactions[1]
    counted = [t for t in rows if t["status"] == "success"]
    sales = sum(1 for t in counted if t["type"] == "sales")
    purchases = len(counted) - sales
    pending = sum(1 for t in rows if t["status"] == "pending")
    assert (len(counted), pending) == (130, 5)
    assert "Totals of all 150 transactions" in body
    assert f"Sales {sales} KES {sales * 10:,}.00 KES {sales:,}.00" in body
    assert f"Purchases {purchases} KES {purchases * 10:,}.00 KES {purchases:,}.00" in body
    assert f"Not counted: 15 failed (KES 150.00), {pending} pending (KES 50.00)." in body
    assert "Total of this page" not in body
    totals_calls = [c for c in fake.calls_to("customers/1/transactions") if "per_page" in c]
    assert sorted(c["page"] for c in totals_calls) == ["1", "2"]
    assert all(c["per_page"] == "100" for c in totals_calls)


def test_a_type_filter_totals_that_type_only(admin_client, fake, branches):
    fake.transactions[1] = [transaction(n, type_="purchases") for n in range(3)]

    body = _text(admin_client.get(f"{URL}?type=purchases"))

    assert "Totals of all 3 transactions matching these filters" in body
    assert "Purchases 3 KES 300.00" in body
    assert "Sales 0" not in body


def test_pages_not_read_in_time_make_partial_totals(
    admin_client, fake, branches, settings, slow_pages
):
    settings.CTAX_PAGE_DEADLINE = 0.3
    fake.transactions[1] = _mixed(250)
    slow_pages.block(3)  # the third page of 100 never answers

    response = admin_client.get(URL)

    body = _text(response)
    assert response.status_code == 200
    assert "Partial totals" in body
    assert "These totals are of the 200 most recent of the 250 transactions" in body


def test_a_history_longer_than_the_page_budget_is_partial(
    admin_client, fake, branches, monkeypatch
):
    monkeypatch.setattr(fetching, "MAX_PAGES", 2)
    fake.transactions[1] = _mixed(250)

    body = _text(admin_client.get(URL))

    assert "These totals are of the 200 most recent of the 250 transactions" in body


def test_a_page_that_never_answers_is_the_timeout_notice(
    admin_client, fake, branches, settings, slow_pages
):
    settings.CTAX_PAGE_DEADLINE = 0.3
    fake.transactions[1] = _mixed(3)
    slow_pages.block(1)

    response = admin_client.get(URL)

    assert response.status_code == 504
    assert "took too long to answer" in response.content.decode()


def test_a_hung_chart_does_not_delay_another_users_history(
    client, people, fake, branches, slow_pages
):
    """A manager's chart of customer 1 hangs on every page; a clerk's history still comes."""
    fake.customers[1]["branch_id"] = "00"
    fake.transactions[1] = _mixed(2000)
    fake.transactions[2] = _mixed(3)
    slow_pages.block(*range(2, 21), customer_id=1)
    chart_query = TransactionQuery(1)
    first = fetching.TransactionQuery(1).page(1)
    chart_done = threading.Event()

    def managers_chart():
        fetching.read_rest(chart_query, first, Budget(seconds=30))
        chart_done.set()

    manager = threading.Thread(target=managers_chart)
    manager.start()
    try:
        client.force_login(people["manager01"])
        response = client.get("/customers/2/transactions/", headers={"HX-Request": "true"})
        assert response.status_code == 200
        assert "Totals of all 3 transactions" in _text(response)
        assert not chart_done.is_set()  # served while the chart was still waiting
    finally:
        slow_pages.release.set()
        manager.join(10)
    assert chart_done.is_set()
