"""The refresh job: gather the branch upstream, compute the sections, replace the snapshot."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from .. import jobs
from . import sections, snapshot
from .gathering import gather

KIND = "branch_review"


@task
def refresh_branch_review(job_id: str) -> dict | None:
    return jobs.run(job_id, _refresh)


def _refresh(running: jobs.Run) -> dict:
    job = running.job
    now = timezone.now()
    pacer = jobs.Pacer()
    gathered = gather(
        user=job.started_by,
        branch_code=job.subject,
        since=sections.window_start(now),
        pacer=pacer,
        progress=running.progress,
    )
    running.progress(done=len(gathered.customers), calls=gathered.calls)
    snapshot.replace(
        branch_code=job.subject,
        user=job.started_by,
        calls=gathered.calls,
        sections=sections.build(gathered.customers, now=now),
    )
    return {"customers": len(gathered.customers), "calls": gathered.calls}


def start_refresh(*, branch_code: str, user) -> tuple[jobs.Job, bool]:
    return jobs.start(kind=KIND, subject=branch_code, user=user, task=refresh_branch_review)


def latest_refresh(branch_code: str) -> jobs.Job | None:
    return jobs.latest(kind=KIND, subject=branch_code)
