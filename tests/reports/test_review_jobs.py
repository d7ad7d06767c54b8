"""The branch review's snapshot kept 7 days at most, and its refresh paid by nobody:
background jobs have their own pace, never a user's per-minute share."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from customers import call_budget
from customers.jobs import Job
from customers.review import sections, snapshot
from customers.review.snapshot import BranchSnapshot
from tests.jobs_helpers import run_queued_jobs
from tests.review_helpers import restore_roles

pytestmark = pytest.mark.django_db(transaction=True)
URL = "/branches/00/review/"


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    restore_roles()


def test_a_snapshot_is_shown_for_7_days_then_removed_by_housekeeping(client, users):
    taken = timezone.now()
    snapshot.replace(branch_code="00", user=None, calls=7, sections=sections.build([], now=taken))
    with time_machine.travel(taken + dt.timedelta(days=6, hours=23), tick=False):
        client.force_login(users["manager00"])
        assert "Figures as of" in client.get(URL).content.decode()
        call_command("ctax_housekeeping", stdout=io.StringIO())
        assert BranchSnapshot.objects.exists()
    with time_machine.travel(taken + dt.timedelta(days=7, minutes=1), tick=False):
        client.force_login(users["manager00"])
        assert "No review of this branch yet" in client.get(URL).content.decode()
        call_command("ctax_housekeeping", stdout=io.StringIO())
    assert not BranchSnapshot.objects.exists()


def test_a_refresh_is_charged_to_nobody_even_where_a_payer_is_bound(
    client, users, served_upstream, settings, monkeypatch
):
    """However its worker was started, a job's calls are charged to nobody: its own pace
    (CTAX_BACKGROUND_CALLS_PER_SECOND) is its only limit."""
    settings.CTAX_BACKGROUND_CALLS_PER_SECOND = 500
    charged_to = []
    charge = call_budget.before_call
    monkeypatch.setattr(
        call_budget, "before_call", lambda: (charged_to.append(call_budget.payer()), charge())
    )
    manager = users["manager00"]
    client.force_login(manager)
    client.post(URL + "refresh/")
    with call_budget.paid_by(manager.pk):
        run_queued_jobs()
    job = Job.objects.get()
    assert job.state == Job.DONE, job.error
    assert len(charged_to) == job.calls >= 3
    assert set(charged_to) == {None}
    snap = snapshot.current("00")
    assert snap.taken_by == manager and snap.calls == job.calls
    assert snap.sections["glance"]["customers"] == 1


def test_the_old_snapshot_stays_in_view_while_a_refresh_runs(
    client, users, served_upstream, settings
):
    settings.CTAX_BACKGROUND_CALLS_PER_SECOND = 500
    old = sections.build([], now=timezone.now())
    snapshot.replace(branch_code="00", user=users["admin"], calls=41, sections=old)
    client.force_login(users["manager00"])
    client.post(URL + "refresh/")
    Job.objects.update(state=Job.RUNNING, total=1, heartbeat_at=timezone.now())
    page = client.get(URL).content.decode()
    assert "refreshed by admin (41 upstream calls)" in page
    assert 'data-figure="customers">0<' in page and "Reading customers: 0 of 1" in page
    assert "stay as they are until the new review is complete" in page


def test_a_refresh_reads_nothing_of_a_branch_taken_from_its_manager_since(
    client, users, served_upstream, settings
):
    """The job reads as the manager who asked, through the same reads as the screens: a
    branch taken away between the request and the run is read no more."""
    from customers.models import BranchMembership

    settings.CTAX_BACKGROUND_CALLS_PER_SECOND = 500
    manager = users["manager00"]
    client.force_login(manager)
    client.post(URL + "refresh/")
    BranchMembership.objects.filter(user=manager, branch__code="00").delete()
    calls_before = len(served_upstream.calls)
    run_queued_jobs()
    job = Job.objects.get()
    assert job.state == Job.FAILED
    assert len(served_upstream.calls) == calls_before
    assert snapshot.current("00") is None
