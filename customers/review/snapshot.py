"""The last branch review of each branch: only what its sections show, for a week at most."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone


class BranchSnapshot(models.Model):
    """One branch's last review; a refresh replaces it once the new one is complete."""

    branch_code = models.CharField(max_length=20, unique=True)
    taken_at = models.DateTimeField()
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    taken_by_name = models.CharField(max_length=150, blank=True)
    calls = models.PositiveIntegerField(default=0, help_text="upstream calls the refresh made")
    sections = models.JSONField(default=dict)

    class Meta:
        app_label = "customers"
        default_permissions = ()
        permissions = [("view_branch_review", "Can see the branch review")]

    def __str__(self) -> str:
        return f"review of {self.branch_code} at {self.taken_at:%Y-%m-%d %H:%M}"


def keep_until() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=settings.CTAX_REVIEW_KEEP_DAYS)


def current(branch_code: str) -> BranchSnapshot | None:
    """The branch's snapshot, unless older than CTAX_REVIEW_KEEP_DAYS."""
    fresh = BranchSnapshot.objects.filter(taken_at__gte=keep_until())
    return fresh.filter(branch_code=branch_code).first()


def replace(*, branch_code: str, user, calls: int, sections: dict) -> BranchSnapshot:
    snapshot, _ = BranchSnapshot.objects.update_or_create(
        branch_code=branch_code,
        defaults={
            "taken_at": timezone.now(),
            "taken_by": user,
            "taken_by_name": user.get_username() if user else "",
            "calls": calls,
            "sections": sections,
        },
    )
    return snapshot


def remove_expired() -> int:
    return BranchSnapshot.objects.filter(taken_at__lt=keep_until()).delete()[0]
