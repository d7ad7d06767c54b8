"""Background jobs: what every job shares (status row, heartbeat, pacing, progress).

A job runs on Django's tasks framework (django-tasks-db: the task is a row of our
database, run by any `manage.py db_worker`). That backend does not notice a worker
killed mid-run, so each job also has a `Job` row of its own: its progress, the
upstream calls it made, and a heartbeat written every CTAX_JOB_HEARTBEAT_SECONDS while
it runs. A running job not heard from for CTAX_JOB_STALE_SECONDS is marked failed
with its reason (`sweep_stale`: housekeeping, a worker's start, and the job's page).

Job code never runs inside a user's request: a view only calls `start`, which enqueues.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone

from . import call_budget
from .upstream.errors import RateLimited, Unavailable, UpstreamError, UpstreamTimeout

logger = logging.getLogger("customers.jobs")

# A read that failed for want of capacity is tried this many times in all.
PACED_ATTEMPTS = 5


class Job(models.Model):
    """One background job: who started it, how far it got, whether it is alive."""

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATES = [(QUEUED, "Queued"), (RUNNING, "Running"), (DONE, "Done"), (FAILED, "Failed")]
    LIVE = (QUEUED, RUNNING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=100, help_text="what it works on, e.g. a branch")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    state = models.CharField(max_length=10, choices=STATES, default=QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    calls = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True, help_text="what it did, for its page")
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "customers"
        ordering = ["-created_at"]
        constraints = [
            # A second start while one runs joins it instead (see `start`).
            models.UniqueConstraint(
                fields=["kind", "subject"],
                condition=models.Q(state__in=("queued", "running")),
                name="one_live_job_per_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} ({self.state})"

    @property
    def is_live(self) -> bool:
        return self.state in self.LIVE

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


# --- starting and finding ---------------------------------------------------------


def start(*, kind: str, subject: str, user, task, args: tuple = ()) -> tuple[Job, bool]:
    """A new job enqueued for `task(job_id, *args)`, or the live one of the same kind
    and subject (joined: True)."""
    sweep_stale()
    try:
        with transaction.atomic():
            job = Job.objects.create(kind=kind, subject=subject, started_by=user)
            result = task.enqueue(str(job.id), *args)
            Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    except IntegrityError:
        live = latest(kind=kind, subject=subject)
        if live is not None and live.is_live:
            return live, True
        raise
    return job, False


def new_subject() -> str:
    """A subject no other job has: for jobs that never join another."""
    return uuid.uuid4().hex


def latest(*, kind: str, subject: str) -> Job | None:
    return Job.objects.filter(kind=kind, subject=subject).first()


# --- liveness ---------------------------------------------------------------------


def sweep_stale(*, now: dt.datetime | None = None) -> int:
    """Mark failed every running job not heard from for CTAX_JOB_STALE_SECONDS, and
    every queued one whose worker took its task that long ago and never began it."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.CTAX_JOB_STALE_SECONDS)
    stale = list(Job.objects.filter(state=Job.RUNNING, heartbeat_at__lt=cutoff))
    stale += _taken_but_never_started(cutoff)
    for job in stale:
        if job.state == Job.RUNNING:
            last = timezone.localtime(job.heartbeat_at).strftime("%H:%M:%S")
            reason = (
                f"The worker running this job stopped answering (last heard from at {last}); "
                "it was probably stopped or restarted."
            )
        else:
            reason = (
                "The worker that took this job stopped answering before it began; "
                "it was probably stopped or restarted."
            )
        marked = Job.objects.filter(pk=job.pk, state=job.state).update(
            state=Job.FAILED, error=reason, finished_at=now
        )
        if marked and job.task_id:
            # django-tasks-db would leave its row "running" for ever.
            DBTaskResult.objects.filter(id=job.task_id, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED, finished_at=now
            )
        if marked:
            logger.warning("job %s marked failed: %s", job.pk, reason)
    return len(stale)


def _taken_but_never_started(cutoff: dt.datetime) -> list[Job]:
    """Queued jobs whose task a worker took before `cutoff` (or ended, or lost) without
    starting the job: that worker died in between, and a later start would join them."""
    from django_tasks_db.models import DBTaskResult

    queued = {j.task_id: j for j in Job.objects.filter(state=Job.QUEUED, created_at__lt=cutoff)}
    waiting = DBTaskResult.objects.filter(id__in=[t for t in queued if t]).filter(
        models.Q(status=TaskResultStatus.READY)
        | models.Q(status=TaskResultStatus.RUNNING, started_at__gte=cutoff)
    )
    alive = {str(task_id) for task_id in waiting.values_list("id", flat=True)}
    return [job for task_id, job in queued.items() if task_id and task_id not in alive]


class JobAbandoned(Exception):
    """The job was marked failed while it ran (judged dead): stop without writing more."""


class Run:
    """A job while its worker runs it: progress and heartbeat go to its row."""

    def __init__(self, job: Job, *, clock: Callable[[], float] = time.monotonic):
        self.job = job
        self.clock = clock
        self._last_write = 0.0
        self._stop = threading.Event()
        self._beater: threading.Thread | None = None

    def progress(self, *, done: int | None = None, total: int | None = None, calls: int = 0):
        """Record progress (at most twice a second, unless the total changes)."""
        if total is not None and total != self.job.total:
            self.job.total = total
            self._last_write = 0.0
        if done is not None:
            self.job.done = done
        self.job.calls = calls or self.job.calls
        if self.clock() - self._last_write >= 0.5:
            self._write()

    def _write(self) -> None:
        self._last_write = self.clock()
        updated = Job.objects.filter(pk=self.job.pk, state=Job.RUNNING).update(
            total=self.job.total,
            done=self.job.done,
            calls=self.job.calls,
            heartbeat_at=timezone.now(),
        )
        if not updated:
            raise JobAbandoned(str(self.job.pk))

    def _beat_until_stopped(self) -> None:
        try:
            while not self._stop.wait(settings.CTAX_JOB_HEARTBEAT_SECONDS):
                Job.objects.filter(pk=self.job.pk, state=Job.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
        finally:
            connection.close()  # this thread's own connection

    def __enter__(self) -> Run:
        self._beater = threading.Thread(target=self._beat_until_stopped, daemon=True)
        self._beater.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        if self._beater is not None:
            self._beater.join(timeout=5)


def run(job_id: str, work: Callable[[Run], dict[str, Any] | None]) -> dict[str, Any] | None:
    """Run `work` as job `job_id` (from a task, in a worker): running → done or failed."""
    if not claim(job_id):
        logger.warning("job %s is not queued any more; not run", job_id)
        return None
    job = Job.objects.get(pk=job_id)
    # Paid by nobody, wherever the worker runs: a job has its own pace, not a user's share.
    with Run(job) as running, call_budget.paid_by(None):
        try:
            result = work(running)
        except JobAbandoned:
            return None
        except Exception as exc:
            _finish(job, Job.FAILED, error=describe_failure(exc))
            raise
    _finish(job, Job.DONE, result=result or {})
    return result


def claim(job_id: str) -> bool:
    """Queued → running, heard from now; False if it was not queued (e.g. ran already)."""
    return bool(
        Job.objects.filter(pk=job_id, state=Job.QUEUED).update(
            state=Job.RUNNING, heartbeat_at=timezone.now()
        )
    )


def _finish(job: Job, state: str, *, error: str = "", result: dict | None = None) -> None:
    Job.objects.filter(pk=job.pk, state=Job.RUNNING).update(
        state=state,
        error=error,
        result=result or {},
        done=job.done,
        total=job.total,
        calls=job.calls,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )


def describe_failure(exc: Exception) -> str:
    if isinstance(exc, UpstreamError):
        return f"The customer service did not answer as it should: {exc}"
    return f"The job stopped on an error ({type(exc).__name__})."


# --- pacing -----------------------------------------------------------------------


class Pacer:
    """At most `per_second` upstream calls, shared by every thread of one job.

    Each call takes the next free slot; a 429 holds every thread until its Retry-After
    has passed. `calls` counts the calls made (retries included)."""

    def __init__(
        self,
        per_second: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        rate = per_second or settings.CTAX_BACKGROUND_CALLS_PER_SECOND
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.clock = clock
        self.sleep = sleep
        self.calls = 0
        self._next = clock()
        self._lock = threading.Lock()

    def wait_turn(self) -> None:
        with self._lock:
            now = self.clock()
            slot = max(now, self._next)
            self._next = slot + self.interval
            self.calls += 1
        if slot > now:
            self.sleep(slot - now)

    def hold(self, seconds: float) -> None:
        with self._lock:
            self._next = max(self._next, self.clock() + seconds)

    def call(self, fn: Callable[[], Any]) -> Any:
        """fn() in its turn; a 429 waited out (its Retry-After), a 5xx or timeout retried."""
        for attempt in range(1, PACED_ATTEMPTS + 1):
            self.wait_turn()
            try:
                return fn()
            except RateLimited as exc:
                if attempt == PACED_ATTEMPTS:
                    raise
                self.hold(exc.retry_after or 1)
            except (Unavailable, UpstreamTimeout):
                if attempt >= 3:
                    raise
                self.hold(attempt)
        raise AssertionError("unreachable")
