"""The branch review on the sandbox over real HTTP: Refresh, the job run by the real
db_worker in this process, and every figure checked against the sandbox's own rows."""

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal

import phonenumbers
import pytest
import time_machine
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from customers.jobs import Job
from customers.reports.months import NAIROBI, Month
from sandbox import seed
from sandbox.models import SandboxCustomer, SandboxTransaction
from tests.jobs_helpers import run_queued_jobs
from tests.review_helpers import restore_roles
from tests.role_users import make_user

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/branches/00/review/"


@pytest.fixture
def manager_client(sandbox_api, settings, branches, django_user_model, client):
    settings.CTAX_BACKGROUND_CALLS_PER_SECOND = 500
    seed.seed(customers=60)
    add_customers_for_every_list()
    restore_roles()
    user = make_user(django_user_model, "manager00", role="Branch manager", branch_codes=["00"])
    client.force_login(user)
    return client


def add_customers_for_every_list():
    """Beside the seed: a business without a TIN (and an old phone), its duplicate by
    name, a TIN outside the format, and an active customer quiet for 13 months."""
    head = "00"
    SandboxCustomer.objects.create(
        branch_id=head, customer_no="X1", name="Baraka Hardware", phone="+254192375643"
    )
    SandboxCustomer.objects.create(branch_id=head, customer_no="X2", name="baraka  HARDWARE.")
    SandboxCustomer.objects.create(branch_id=head, customer_no="X3", name="Odd", tin="P12345")
    quiet = SandboxCustomer.objects.create(branch_id=head, customer_no="X4", name="Quiet")
    SandboxTransaction.objects.create(
        customer=quiet,
        branch_id=head,
        type="sales",
        invoice_no="OLD-1",
        total_amount=Decimal("100.00"),
        tax_amount=Decimal("13.79"),
        created_at=timezone.now() - dt.timedelta(days=400),
    )


# The rules, written here from the specification (the branch review docs/branch-review.md
# describes: "businesses without a TIN", "TINs and phones to fix") and the API's
# documentation, not taken from the code.
SPEC_WORDS = [
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
DOCUMENTED_TIN = re.compile(r"[AP]\d{9}[A-Z]")


def business_name(name: str) -> bool:
    words = {w.casefold() for w in re.findall(r"[A-Za-z]+", name)}
    return any(w.casefold() in words for w in SPEC_WORDS)


def phone_refused(phone: str) -> bool:
    try:
        return not phonenumbers.is_valid_number(phonenumbers.parse(phone, "KE"))
    except phonenumbers.NumberParseException:
        return True


def listed(html: str, key: str) -> set[str]:
    """The customer numbers a list links."""
    section = re.findall(rf'id="list-{key}".*?</section>', html, re.S)[0]
    return set(re.findall(r'<a href="/customers/\d+/">([^<]+)</a>', section))


def figure(html: str, name: str) -> str:
    return re.search(rf'data-figure="{name}">([^<]*)<', html).group(1)


def count(html: str, name: str) -> int:
    return int(re.search(rf'data-count="{name}">(\d+)<', html).group(1))


def test_refresh_fills_every_section_with_the_sandboxs_figures(manager_client):
    first = manager_client.get(URL).content.decode()
    assert "No review of this branch yet" in first

    answer = manager_client.post(URL + "refresh/", headers={"HX-Request": "true"})
    assert "Refresh waiting for a worker" in answer.content.decode()
    job = Job.objects.get()
    assert job.state == Job.QUEUED
    # A second Refresh while one is queued or running joins it.
    manager_client.post(URL + "refresh/")
    assert Job.objects.count() == 1

    run_queued_jobs()
    job.refresh_from_db()
    assert job.state == Job.DONE, job.error
    assert job.done == job.total > 0
    assert (
        manager_client.get(URL + "progress/", headers={"HX-Request": "true"})["HX-Refresh"]
        == "true"
    )

    html = manager_client.get(URL).content.decode()
    now = timezone.now()
    mine = SandboxCustomer.objects.filter(branch_id="00", deleted_at__isnull=True)
    txs = SandboxTransaction.objects.filter(customer__in=mine)
    assert int(figure(html, "customers")) == mine.count() == job.total
    assert int(figure(html, "active")) == mine.filter(is_active=True).count()
    assert int(figure(html, "inactive")) == mine.filter(is_active=False).count()
    local = [c.created_at.astimezone(NAIROBI) for c in mine]
    assert int(figure(html, "new_this_month")) == sum(Month.of(c) == Month.of(now) for c in local)
    assert int(figure(html, "new_this_year")) == sum(
        c.year == now.astimezone(NAIROBI).year for c in local
    )
    assert int(figure(html, "transactions")) == txs.count()
    sales = txs.filter(type="sales", status="success").aggregate(s=Sum("total_amount"))["s"]
    assert figure(html, "sales_amount").replace(",", "").split()[-1] == f"{sales:.2f}"

    # Months: successful transactions since the window's first day, each counted once.
    local_now = now.astimezone(NAIROBI)
    first = (local_now.year * 12 + local_now.month - 1) - 23  # 24 months, this one included
    start = dt.datetime(first // 12, first % 12 + 1, 1, tzinfo=NAIROBI)
    expected = defaultdict(lambda: [Decimal(0), 0])
    for tx in txs.filter(status="success", created_at__gte=start):
        cell = expected[(Month.of(tx.created_at), tx.type)]
        cell[0] += tx.total_amount
        cell[1] += 1
    shown = {}
    for month, cells in re.findall(r'<tr data-month="([\d-]+)">(.*?)</tr>', html, re.S):
        values = re.findall(r"<td[^>]*>KES ([\d,.]+) \((\d+)\)</td>", cells)
        shown[month] = [(Decimal(a.replace(",", "")), int(n)) for a, n in values]
    assert len(shown) == 12
    for iso, (sales, sales_before, purchases, purchases_before) in shown.items():
        month = Month(*map(int, iso.split("-")))
        assert sales == tuple(expected[(month, "sales")])
        assert sales_before == tuple(expected[(month.shifted(-12), "sales")])
        assert purchases == tuple(expected[(month, "purchases")])
        assert purchases_before == tuple(expected[(month.shifted(-12), "purchases")])
    assert any(sales[1] for sales, *_ in shown.values())

    # Top by sales, dormant, no TIN, to fix, duplicates: counted over the sandbox's rows.
    summary = mine.annotate(
        sales=Sum(
            "transactions__total_amount",
            filter=Q(transactions__type="sales", transactions__status="success"),
        ),
        last=Max("transactions__created_at"),
        n=Count("transactions"),
    )
    top = sorted(summary, key=lambda c: (-(c.sales or 0), c.id))[:10]
    top_html = re.findall(r'id="list-top".*?</section>', html, re.S)[0]
    assert re.findall(r'<a href="/customers/\d+/">([^<]+)</a>', top_html) == [
        c.customer_no for c in top
    ]
    cutoff = (now - dt.timedelta(days=1) if (now.month, now.day) == (2, 29) else now).replace(
        year=now.year - 1
    )  # the last 12 months
    # Up to 25 dormant customers: the list's own action (its confirmation page) marks them.
    dormant_section = re.findall(r'id="list-dormant".*?</section>', html, re.S)[0]
    assert 'action="/customers/actions/"' in dormant_section
    assert dormant_section.count('name="selected"') == count(html, "dormant")
    assert min(count(html, name) for name in ("dormant", "no_tin", "to_fix", "duplicates")) > 0
    assert listed(html, "dormant") == {
        c.customer_no for c in summary if c.is_active and (c.last is None or c.last < cutoff)
    }
    assert listed(html, "no_tin") == {
        c.customer_no for c in mine if not c.tin and business_name(c.name)
    }
    assert listed(html, "to_fix") == {
        c.customer_no
        for c in mine
        if (c.tin and not DOCUMENTED_TIN.fullmatch(c.tin)) or (c.phone and phone_refused(c.phone))
    }
    assert {"X1", "X3", "X4"} <= listed(html, "to_fix") | listed(html, "dormant")
    keys = defaultdict(set)
    for c in mine:
        if c.tin:
            keys[("tin", c.tin)].add(c.id)
        if c.phone:
            keys[("phone", c.phone)].add(c.id)
        keys[("name", re.sub(r"[\W_]+", "", c.name).casefold())].add(c.id)
    assert count(html, "duplicates") == sum(len(ids) >= 2 for ids in keys.values())

    # Every list can be exported.
    csv = manager_client.get(URL + "top.csv")
    assert csv.status_code == 200
    assert b"".join(csv.streaming_content).decode("utf-8-sig").count("\n") == len(top) + 1


def test_a_job_whose_worker_died_is_failed_and_a_new_refresh_completes(manager_client):
    from django_tasks_db.models import DBTaskResult

    from customers import jobs

    manager_client.post(URL + "refresh/")
    dead = Job.objects.get()
    # What a worker does before it is killed: it claims the task and the job, then dies.
    DBTaskResult.objects.get().claim("killed-worker")
    assert jobs.claim(str(dead.pk))
    started = timezone.now()

    with time_machine.travel(started + dt.timedelta(seconds=110), tick=False):
        page = manager_client.get(URL).content.decode()
        # Still within the heartbeat window; the list not read yet, so no "0 of 0".
        assert "Reading the branch's customer list…" in page and "0 of 0" not in page
        assert manager_client.post(URL + "refresh/").status_code == 302
        assert Job.objects.count() == 1  # joined, not doubled

    with time_machine.travel(started + dt.timedelta(seconds=125), tick=False):
        progress = manager_client.get(
            URL + "progress/", headers={"HX-Request": "true"}
        ).content.decode()
        assert "The last refresh failed." in progress
        assert "stopped answering" in progress
        dead.refresh_from_db()
        assert dead.state == Job.FAILED and "stopped answering" in dead.error
        assert DBTaskResult.objects.get(id=dead.task_id).status == "FAILED"
        assert "The last refresh failed." in manager_client.get(URL).content.decode()

    manager_client.post(URL + "refresh/")
    fresh = Job.objects.exclude(pk=dead.pk).get()
    run_queued_jobs()
    fresh.refresh_from_db()
    assert fresh.state == Job.DONE and fresh.total > 0
    html = manager_client.get(URL).content.decode()
    assert "The last refresh failed." not in html
    assert int(figure(html, "customers")) == fresh.total


def test_more_dormant_customers_than_an_action_takes_are_marked_inactive_in_the_background(
    manager_client,
):
    from customers.models import AuditEntry

    for n in range(27):
        SandboxCustomer.objects.create(branch_id="00", customer_no=f"Z{n}", name=f"Sleepy {n}")
    manager_client.post(URL + "refresh/")
    run_queued_jobs()
    html = manager_client.get(URL).content.decode()
    dormant = count(html, "dormant")
    assert dormant > 27
    assert "More than 25: it runs in the background." in html

    confirm = manager_client.post(URL + "dormant/mark-inactive/").content.decode()
    assert "Sleepy 26" in confirm and "Yes, I'm sure" in confirm
    token = re.search(r'name="submission_token" value="([^"]+)"', confirm).group(1)
    sent = {"confirmed": "yes", "submission_token": token}
    manager_client.post(URL + "dormant/mark-inactive/", sent)
    manager_client.post(URL + "dormant/mark-inactive/", sent)  # a double submit starts one job
    job = Job.objects.get(kind="mark_dormant_inactive")
    assert job.state == Job.QUEUED and AuditEntry.objects.count() == 0  # not in the request

    run_queued_jobs()
    job.refresh_from_db()
    assert job.state == Job.DONE, job.error
    assert job.result["done"] == dormant == job.total
    assert SandboxCustomer.objects.filter(name__startswith="Sleepy", is_active=True).count() == 0
    entries = AuditEntry.objects.filter(username="manager00", branch_id="00")
    assert entries.count() == dormant
    assert {e.outcome for e in entries} == {"success"}
    assert all(e.changes == {"is_active": [True, False]} for e in entries)
    page = manager_client.get(URL).content.decode()
    assert f"Marked inactive in the background: {dormant} done" in page
    assert count(page, "changes") == dormant


def test_a_dormant_action_sent_with_a_form_too_old_starts_nothing_and_says_why(manager_client):
    SandboxCustomer.objects.create(branch_id="00", customer_no="Z1", name="Sleepy 1")
    manager_client.post(URL + "refresh/")
    run_queued_jobs()
    for token in ("", "not-a-token-this-server-issued"):
        sent = {"confirmed": "yes", "submission_token": token}
        page = manager_client.post(URL + "dormant/mark-inactive/", sent).content.decode()
        assert "This form is too old: check it and send it again. Nothing was changed." in page
        assert "Yes, I&#x27;m sure" in page or "Yes, I'm sure" in page  # to send it again
    assert not Job.objects.filter(kind="mark_dormant_inactive").exists()


def test_the_background_action_leaves_a_customer_who_traded_since_the_snapshot(manager_client):
    """The snapshot may be days old: each customer's dormancy is read again before its
    write, and one who has traded since is left active (counted apart, nothing sent)."""
    from customers.models import AuditEntry

    sleepy = [
        SandboxCustomer.objects.create(branch_id="00", customer_no=f"Z{n}", name=f"Sleepy {n}")
        for n in range(27)
    ]
    manager_client.post(URL + "refresh/")
    run_queued_jobs()
    dormant = count(manager_client.get(URL).content.decode(), "dormant")
    SandboxTransaction.objects.create(
        customer=sleepy[0],
        branch_id="00",
        type="sales",
        invoice_no="NEW-1",
        total_amount=Decimal("50.00"),
        tax_amount=Decimal("6.90"),
        created_at=timezone.now(),
    )
    confirm = manager_client.post(URL + "dormant/mark-inactive/").content.decode()
    token = re.search(r'name="submission_token" value="([^"]+)"', confirm).group(1)
    manager_client.post(
        URL + "dormant/mark-inactive/", {"confirmed": "yes", "submission_token": token}
    )
    run_queued_jobs()
    job = Job.objects.get(kind="mark_dormant_inactive")
    assert job.state == Job.DONE, job.error
    assert job.result["done"] == dormant - 1 and job.result["traded"] == 1
    sleepy[0].refresh_from_db()
    assert sleepy[0].is_active
    assert not AuditEntry.objects.filter(customer_id=sleepy[0].pk).exists()
    page = manager_client.get(URL).content.decode()
    assert f"{dormant - 1} done" in page and "1 left active (traded since the review)" in page
