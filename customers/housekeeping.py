"""What `manage.py ctax_housekeeping` does: it removes expired sessions, old form tokens
and expired rows of the database cache (when it is the shared cache), and settles the
writes left unfinished (a worker stopped between claiming a form and its outcome)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import models
from django.utils import timezone

from .models import AuditEntry, FormSubmission

UNFINISHED_AFTER = dt.timedelta(minutes=15)  # far beyond any write's upstream timeout
UNFINISHED_NOTE = "No outcome was recorded: ctaxoffice stopped during this write."


class CacheRow(models.Model):
    """A row of Django's database cache table (made by migration 0003); read-only here."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField()

    class Meta:
        app_label = "customers"
        managed = False
        db_table = settings.CACHE_TABLE

    def __str__(self) -> str:
        return self.cache_key


@dataclass(frozen=True)
class Removed:
    sessions: int
    form_tokens: int
    cache_rows: int
    unfinished: int = 0  # pending audit entries marked unknown


def sweep() -> Removed:
    now = timezone.now()
    # What `clearsessions` does for the db and cached_db stores, counted.
    sessions = Session.objects.filter(expire_date__lt=now).delete()[0]
    cutoff = now - dt.timedelta(hours=settings.CTAX_FORM_HOURS)
    tokens = FormSubmission.objects.filter(created_at__lt=cutoff).delete()[0]
    cache_rows = CacheRow.objects.filter(expires__lt=now).delete()[0]
    unfinished = settle_unfinished(now)
    return Removed(sessions, tokens, cache_rows, unfinished)


def settle_unfinished(now) -> int:
    """Audit entries still pending after UNFINISHED_AFTER become "unknown" (the write
    may or may not have happened), and the forms they claimed can be sent again."""
    stale = now - UNFINISHED_AFTER
    pending = AuditEntry.objects.filter(outcome=AuditEntry.PENDING, created_at__lt=stale)
    tokens = list(pending.exclude(token=None).values_list("token", flat=True))
    marked = pending.update(outcome=AuditEntry.UNKNOWN, error=UNFINISHED_NOTE, completed_at=now)
    unsettled = FormSubmission.objects.filter(customer_id__isnull=True)
    # Claimed but never settled: by a pending entry, or before any entry was recorded.
    unsettled.filter(token__in=tokens).delete()
    unsettled.filter(created_at__lt=stale).delete()
    return marked
