"""A list's action from the review: mark the dormant customers inactive.

Up to the list's action limit (bulk.MAX_CUSTOMERS, 25) it is the customer list's own
action (confirmation page, then the writes in the request). Beyond it, a background
job: each customer through `bulk.apply_status` (read, audited PUT of only `is_active`,
entry completed), one at a time at the job's pace, each read again first and left
active if it has traded since the snapshot.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.tasks import task
from django.utils import timezone

from .. import bulk, jobs, selectors
from ..upstream.errors import NotFound, RateLimited, UpstreamError
from .sections import is_dormant, last_transaction_at

KIND = "mark_dormant_inactive"
TRADED = "traded"  # a transaction since the snapshot: not dormant any more, left active
CALLS_PER_WRITE = 2  # bulk's read, then its write


@task
def mark_inactive(job_id: str, customer_ids: list[int]) -> dict | None:
    return jobs.run(job_id, lambda running: _mark(running, customer_ids))


def _mark(running: jobs.Run, customer_ids: list[int]) -> dict:
    user = get_user_model().objects.get(pk=running.job.started_by_id)
    pacer = jobs.Pacer()
    counts = dict.fromkeys((bulk.DONE, bulk.ALREADY, bulk.FAILED, bulk.MISSING, TRADED), 0)
    running.progress(done=0, total=len(customer_ids), calls=0)
    for done, customer_id in enumerate(customer_ids, start=1):
        counts[_mark_one(user, customer_id, pacer)] += 1
        running.progress(done=done, calls=pacer.calls)
    return counts


def _mark_one(user, customer_id: int, pacer: jobs.Pacer) -> str:
    """The snapshot may be days old: the customer is read again (paced, a 429 waited
    out) and written only while still dormant."""
    try:
        detail = selectors.customer_for(user=user, customer_id=customer_id, run=pacer.call)
    except NotFound:
        return bulk.MISSING
    except UpstreamError:
        return bulk.FAILED
    if not detail.is_active:
        return bulk.ALREADY
    if not is_dormant(is_active=True, last=last_transaction_at(detail), now=timezone.now()):
        return TRADED
    return _write_inactive(user, customer_id, pacer)


def _write_inactive(user, customer_id: int, pacer: jobs.Pacer) -> str:
    """bulk's own read and write, in their turn; a 429 on either is waited out (its
    Retry-After) and the pair tried again, as every paced call is."""
    for attempt in range(1, jobs.PACED_ATTEMPTS + 1):
        for _ in range(CALLS_PER_WRITE):
            pacer.wait_turn()
        # The job is the form's one sending: no form token of its own.
        (outcome,) = bulk.apply_status(user, [customer_id], is_active=False, token=None).outcomes
        if not isinstance(outcome.error, RateLimited) or attempt == jobs.PACED_ATTEMPTS:
            return outcome.status
        pacer.hold(outcome.error.retry_after or 1)
    raise AssertionError("unreachable")


def start(*, branch_code: str, user, customer_ids: list[int]) -> tuple[jobs.Job, bool]:
    return jobs.start(
        kind=KIND, subject=branch_code, user=user, task=mark_inactive, args=(customer_ids,)
    )


def latest(branch_code: str) -> jobs.Job | None:
    return jobs.latest(kind=KIND, subject=branch_code)
