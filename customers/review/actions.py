"""A list's action from the review: mark the dormant customers inactive.

Up to the list's action limit (bulk.MAX_CUSTOMERS, 25) it is the customer list's own
action (confirmation page, then the writes in the request). Beyond it, a background
job: each customer through `bulk.apply_status` (read, audited PUT of only `is_active`,
entry completed), one at a time at the job's pace.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.tasks import task

from .. import bulk, jobs

KIND = "mark_dormant_inactive"
CALLS_PER_CUSTOMER = 2  # its read, then its write


@task
def mark_inactive(job_id: str, customer_ids: list[int]) -> dict | None:
    return jobs.run(job_id, lambda running: _mark(running, customer_ids))


def _mark(running: jobs.Run, customer_ids: list[int]) -> dict:
    user = get_user_model().objects.get(pk=running.job.started_by_id)
    pacer = jobs.Pacer()
    counts = {bulk.DONE: 0, bulk.ALREADY: 0, bulk.FAILED: 0, bulk.MISSING: 0}
    running.progress(done=0, total=len(customer_ids), calls=0)
    for done, customer_id in enumerate(customer_ids, start=1):
        for _ in range(CALLS_PER_CUSTOMER):
            pacer.wait_turn()
        # The job is the form's one sending: no form token of its own.
        (outcome,) = bulk.apply_status(user, [customer_id], is_active=False, token=None).outcomes
        counts[outcome.status] += 1
        running.progress(done=done, calls=pacer.calls)
    return counts


def start(*, branch_code: str, user, customer_ids: list[int]) -> tuple[jobs.Job, bool]:
    return jobs.start(
        kind=KIND, subject=branch_code, user=user, task=mark_inactive, args=(customer_ids,)
    )


def latest(branch_code: str) -> jobs.Job | None:
    return jobs.latest(kind=KIND, subject=branch_code)
