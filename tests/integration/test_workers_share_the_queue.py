"""On PostgreSQL, two `db_worker` processes share one queue and no job runs twice
(django-tasks-db takes each job with SELECT ... FOR UPDATE SKIP LOCKED)."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from customers.jobs import Job
from tests.integration.worker_tasks import count_run

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
JOBS = 20


def _worker(worker_id: str, database_url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url,
    }
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "--worker-id",
            worker_id,
            "-v",
            "0",
        ],
        cwd=ROOT,
        env=env,
    )


def test_two_workers_run_each_job_once():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (CI's second pass): SQLite has no row locks")
    jobs = [Job.objects.create(kind="count", subject=str(n)) for n in range(JOBS)]
    for job in jobs:
        count_run.enqueue(str(job.pk))
    # The test database, reached as the suite reaches it (same user, host and password).
    database_url = urlsplit(os.environ["DATABASE_URL"])._replace(
        path="/" + connection.settings_dict["NAME"]
    )
    workers = [_worker(name, database_url.geturl()) for name in ("worker-a", "worker-b")]
    for worker in workers:
        assert worker.wait(timeout=60) == 0

    assert sorted(Job.objects.values_list("calls", flat=True)) == [1] * JOBS
    results = list(DBTaskResult.objects.all())
    assert [r.status for r in results] == ["SUCCESSFUL"] * JOBS
    assert all(len(r.worker_ids) == 1 for r in results)
    assert {r.worker_ids[0] for r in results} == {"worker-a", "worker-b"}
