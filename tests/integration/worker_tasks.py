"""A task for the worker tests: counts its runs on a Job row (importable by a worker)."""

import time

from django.db.models import F
from django.tasks import task

from customers.jobs import Job


@task
def count_run(job_id: str, seconds: float = 0.2) -> None:
    Job.objects.filter(pk=job_id).update(calls=F("calls") + 1)
    time.sleep(seconds)
