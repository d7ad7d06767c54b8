"""The history's totals: the whole filtered set, per type, successful only, within budget."""

import re
import threading

import pytest

from customers.fanout import Budget
from customers.reports import fetching
from customers.reports.fetching import TransactionQuery
from tests.fakes import transaction

pytestmark = pytest.mark.django_db

URL = "/customers/1/transactions/totals/"  # the history's totals, loaded after its rows


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


def test_totals_cover_every_page_per_type_successful_only(admin_client, served_upstream, branches):
    served_upstream.histories[1] = _mixed(150)

    response = admin_client.get(URL)

    body = _text(response)
    rows = served_upstream.histories[1]
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
    totals_calls = served_upstream.queries_to("customers/1/transactions")
    assert sorted(int(c["page"]) for c in totals_calls) == list(range(1, 7))  # 25 a page
    assert not any("per_page" in c for c in totals_calls)  # not in the API's documentation


def test_totals_of_91_sales_count_all_91_on_pages_of_25(admin_client, served_upstream, branches):
    """The API serves 25 transactions a page whatever `per_page` says: 4 pages, all read."""
    served_upstream.histories[1] = [transaction(n, amount="10.00", tax="1.00") for n in range(91)]

    response = admin_client.get(f"{URL}?type=sales", headers={"HX-Request": "true"})

    body = _text(response)
    assert "<html" not in response.content.decode()
    assert "Totals of all 91 transactions matching these filters" in body
    assert "Sales 91 KES 910.00 KES 91.00" in body
    assert "could not be read in time" not in body
    assert sorted(
        int(c["page"]) for c in served_upstream.queries_to("customers/1/transactions")
    ) == [1, 2, 3, 4]


def test_the_totals_read_page_one_then_the_rest_side_by_side(
    admin_client, served_upstream, branches, monkeypatch
):
    """Two round trips: the customer with page 1, then pages 2.. at most 4 in flight."""
    from customers import fanout

    served_upstream.histories[1] = _mixed(118)
    batches = []
    real_gather = fanout.Budget.gather

    def gather(self, *calls, **kwargs):
        batches.append(len(calls))
        return real_gather(self, *calls, **kwargs)

    monkeypatch.setattr(fanout.Budget, "gather", gather)

    body = _text(admin_client.get(URL))

    assert batches == [2, 4]  # (customer, page 1), then pages 2-5 together
    assert "Totals of all 118 transactions" in body


def test_a_type_filter_totals_that_type_only(admin_client, served_upstream, branches):
    served_upstream.histories[1] = [transaction(n, type_="purchases") for n in range(3)]

    body = _text(admin_client.get(f"{URL}?type=purchases"))

    assert "Totals of all 3 transactions matching these filters" in body
    assert "Purchases 3 KES 300.00" in body
    assert "Sales 0" not in body


def test_pages_not_read_in_time_make_partial_totals(
    admin_client, served_upstream, branches, settings, slow_pages
):
    settings.CTAX_PAGE_DEADLINE = 0.3
    served_upstream.histories[1] = _mixed(250)
    slow_pages.block(3)  # the third page of 25 never answers

    response = admin_client.get(URL)

    body = _text(response)
    assert response.status_code == 200
    assert "Partial totals" in body
    assert "These totals are of the 50 most recent of the 250 transactions" in body


def test_a_history_longer_than_the_page_budget_is_partial(
    admin_client, served_upstream, branches, monkeypatch
):
    monkeypatch.setattr(fetching, "MAX_PAGES", 2)
    served_upstream.histories[1] = _mixed(250)

    body = _text(admin_client.get(URL))

    assert "These totals are of the 50 most recent of the 250 transactions" in body


def test_a_history_longer_than_a_screen_reads_is_not_said_to_be_out_of_time(
    admin_client, served_upstream, branches, monkeypatch
):
    """Partial for the screen's cap, not for time: say so, not "could not be read in time"."""
    monkeypatch.setattr(fetching, "MAX_PAGES", 2)
    served_upstream.histories[1] = _mixed(250)

    body = _text(admin_client.get(URL))

    assert "These totals are of the 50 most recent of the 250 transactions" in body
    assert "could not be read in time" not in body
    assert "of the 250 transactions: a screen totals at most 50." in body


def test_a_page_that_never_answers_is_the_timeout_notice(
    admin_client, served_upstream, branches, settings, slow_pages
):
    settings.CTAX_PAGE_DEADLINE = 0.3
    served_upstream.histories[1] = _mixed(3)
    slow_pages.block(1)

    response = admin_client.get(URL)

    assert response.status_code == 504
    assert "took too long to answer" in response.content.decode()


def test_a_hung_chart_does_not_delay_another_users_history(
    client, users, served_upstream, branches, slow_pages
):
    """A manager's chart of customer 1 hangs on every page; a clerk's history still comes."""
    served_upstream.customers[1]["branch_id"] = "00"
    served_upstream.histories[1] = _mixed(2000)
    served_upstream.histories[2] = _mixed(3)
    slow_pages.block(*range(2, fetching.MAX_PAGES + 1), customer_id=1)
    chart_query = TransactionQuery(1)
    first = fetching.TransactionQuery(1).page(1)
    chart_done = threading.Event()

    def managers_chart():
        fetching.read_rest(chart_query, first, Budget(seconds=30))
        chart_done.set()

    manager = threading.Thread(target=managers_chart)
    manager.start()
    try:
        client.force_login(users["manager01"])
        response = client.get("/customers/2/transactions/totals/", headers={"HX-Request": "true"})
        assert response.status_code == 200
        assert "Totals of all 3 transactions" in _text(response)
        assert not chart_done.is_set()  # served while the chart was still waiting
    finally:
        slow_pages.release.set()
        manager.join(10)
    assert chart_done.is_set()
