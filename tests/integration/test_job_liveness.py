"""A job whose worker died is marked failed, with its reason, once it has not been heard
from for CTAX_JOB_STALE_SECONDS: by housekeeping and by a worker as it starts."""

import datetime as dt
import io

import pytest
import time_machine
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


def test_a_worker_killed_mid_refresh_fails_the_job_then_a_new_refresh_completes(
    sandbox_api, settings, branches, django_user_model, client
):
    """A real `db_worker` process, SIGKILLed while it reads branch 00: nobody says so
    within the heartbeat window; past it the page says the refresh failed and why, and
    a new Refresh completes."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path
    from urllib.parse import urlsplit

    import time_machine
    from django.db import connection

    from sandbox import seed
    from tests.review_helpers import restore_roles
    from tests.role_users import make_user

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (CI's second pass): a worker process shares its database")
    seed.seed(customers=60)
    restore_roles()
    manager = make_user(django_user_model, "manager00", role="Branch manager", branch_codes=["00"])
    client.force_login(manager)
    url = "/branches/00/review/"
    client.post(url + "refresh/")
    job = Job.objects.get()

    database_url = urlsplit(os.environ["DATABASE_URL"])._replace(
        path="/" + connection.settings_dict["NAME"]
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url.geturl(),
        "CTAX_API_BASE_URL": settings.CTAX_API_BASE_URL,
        "CTAX_API_KEY": settings.CTAX_API_KEY,
        "CTAX_BACKGROUND_CALLS_PER_SECOND": "5",  # slow: it is killed mid-way
    }
    root = Path(__file__).resolve().parents[2]
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay",
         "--interval", "0.2", "-v", "0"],
        cwd=root, env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.state == Job.RUNNING and job.done >= 2:
                break
            assert worker.poll() is None, "the worker ended on its own"
            time.sleep(0.2)
        assert job.state == Job.RUNNING and 0 < job.done < job.total, (job.state, job.done)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)

    job.refresh_from_db()
    last_heard = job.heartbeat_at
    with time_machine.travel(last_heard + dt.timedelta(seconds=110), tick=False):
        assert "Reading customers:" in client.get(url).content.decode()
        job.refresh_from_db()
        assert job.state == Job.RUNNING
    with time_machine.travel(last_heard + dt.timedelta(seconds=121), tick=False):
        page = client.get(url).content.decode()
    assert "The last refresh failed." in page and "stopped answering" in page
    job.refresh_from_db()
    assert job.state == Job.FAILED and "stopped answering" in job.error

    settings.CTAX_BACKGROUND_CALLS_PER_SECOND = 500
    client.post(url + "refresh/")
    fresh = Job.objects.exclude(pk=job.pk).get()
    run_queued_jobs()
    fresh.refresh_from_db()
    assert fresh.state == Job.DONE and fresh.done == fresh.total > 0
    page = client.get(url).content.decode()
    assert "The last refresh failed." not in page
    assert f'data-figure="customers">{fresh.total}<' in page


def test_a_queued_job_whose_task_a_worker_took_then_died_with_is_failed_too():
    """Killed between taking the task and starting the job, a worker leaves the job
    'queued' for ever, and every later Refresh would join it: failed past the window."""
    from django_tasks_db.models import DBTaskResult

    from customers.review.tasks import refresh_branch_review

    taken, waiting = (Job.objects.create(kind="test", subject=s) for s in ("taken", "waiting"))
    for job in (taken, waiting):  # as jobs.start enqueues them
        job.task_id = str(refresh_branch_review.enqueue(str(job.pk)).id)
        job.save()
    DBTaskResult.objects.get(id=taken.task_id).claim("killed-worker")  # waiting: no worker yet
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=121), tick=False):
        call_command("ctax_housekeeping", stdout=io.StringIO())
    taken.refresh_from_db()
    waiting.refresh_from_db()
    assert taken.state == Job.FAILED and "stopped answering" in taken.error
    assert waiting.state == Job.QUEUED
