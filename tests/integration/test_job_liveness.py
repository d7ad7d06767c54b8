"""A job whose worker died is marked failed, with its reason, once it has not been heard
from for CTAX_JOB_STALE_SECONDS: by housekeeping and by a worker as it starts."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from customers.jobs import Job
from tests.jobs_helpers import run_queued_jobs

pytestmark = pytest.mark.django_db(transaction=True)


def running(subject: str, *, seconds_ago: float) -> Job:
    return Job.objects.create(
        kind="test",
        subject=subject,
        state=Job.RUNNING,
        heartbeat_at=timezone.now() - dt.timedelta(seconds=seconds_ago),
    )


@pytest.mark.parametrize("sweeper", ["housekeeping", "worker start"])
def test_a_job_not_heard_from_for_two_minutes_is_failed_with_its_reason(sweeper):
    dead, alive = running("dead", seconds_ago=121), running("alive", seconds_ago=100)
    if sweeper == "housekeeping":
        out = io.StringIO()
        call_command("ctax_housekeeping", stdout=out)
        assert "Marked 1 stalled background jobs failed" in out.getvalue()
    else:
        run_queued_jobs()
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.state == Job.FAILED and "stopped answering" in dead.error
    assert dead.finished_at is not None
    assert alive.state == Job.RUNNING
