"""What `manage.py ctax_housekeeping` removes: expired sessions, old form tokens, and
expired rows of the database cache (when it is the shared cache)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import models
from django.utils import timezone

from .models import FormSubmission


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


def sweep() -> Removed:
    now = timezone.now()
    # What `clearsessions` does for the db and cached_db stores, counted.
    sessions = Session.objects.filter(expire_date__lt=now).delete()[0]
    cutoff = now - dt.timedelta(hours=settings.CTAX_FORM_TOKEN_HOURS)
    tokens = FormSubmission.objects.filter(created_at__lt=cutoff).delete()[0]
    cache_rows = CacheRow.objects.filter(expires__lt=now).delete()[0]
    return Removed(sessions, tokens, cache_rows)
