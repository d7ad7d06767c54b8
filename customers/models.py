"""Local data: branches, who belongs to which, our audit trail. Customers live upstream."""

from django.conf import settings
from django.db import models


class Branch(models.Model):
    """A branch as the upstream knows it (`branch_id`, e.g. "00"), with a name for people."""

    code = models.CharField("branch ID", max_length=20, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "branches"

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class BranchMembership(models.Model):
    """A user works for a branch: they see and edit only their branches' customers."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="branch_memberships"
    )
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "branch"], name="one_membership_per_branch")
        ]
        ordering = ["branch__code"]

    def __str__(self) -> str:
        return f"{self.user} in {self.branch}"


class Customer(models.Model):
    """No table: carries the permissions on upstream customer records."""

    class Meta:
        managed = False
        db_table = "customers_upstream_customer_no_table"
        default_permissions = ("view", "add", "change", "delete")
        permissions = [
            ("export_customer", "Can export customers"),
            ("print_statement", "Can print statements"),
        ]
        verbose_name = "customer record (upstream)"

    def __str__(self) -> str:
        return "customer record"


class AuditEntry(models.Model):
    """One write attempted through the app, successful or not.

    Recorded as "pending" before the upstream write is sent, then completed once
    with its outcome; never edited after that. "unknown": the upstream's answer
    was lost (timeout, 5xx, unreadable), so the write may or may not have happened.
    """

    CREATE, UPDATE, DELETE = "create", "update", "delete"
    ACTIONS = [(CREATE, "Create"), (UPDATE, "Update"), (DELETE, "Delete")]
    PENDING, SUCCESS, FAILURE, UNKNOWN = "pending", "success", "failure", "unknown"
    OUTCOMES = [
        (PENDING, "Pending"),
        (SUCCESS, "Success"),
        (FAILURE, "Failure"),
        (UNKNOWN, "Unknown (answer lost)"),
    ]

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=10, choices=ACTIONS)
    customer_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    customer_no = models.CharField(max_length=50, blank=True)
    branch_id = models.CharField(max_length=20, blank=True)
    changes = models.JSONField(default=dict, blank=True, help_text="field: [before, after]")
    outcome = models.CharField(max_length=10, choices=OUTCOMES)
    error = models.TextField(blank=True)
    request_id = models.CharField(max_length=100, blank=True)
    token = models.UUIDField(
        null=True, blank=True, db_index=True, help_text="the form's one-time token, if any"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.username} {self.action} {self.customer_no} ({self.outcome})"


class FormSubmission(models.Model):
    """A write form's one-time token: a double click or a reload never writes twice."""

    token = models.UUIDField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    customer_id = models.BigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return str(self.token)


class LoginLockout(models.Model):
    """Failed logins for one username from any address (see `customers.login_lockouts`)."""

    username = models.CharField(max_length=150, unique=True)
    window_started_at = models.DateTimeField()
    failures = models.PositiveIntegerField(default=0)
    locked_at = models.DateTimeField(null=True, blank=True)
    wait = models.DurationField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-locked_until", "username"]
        verbose_name = "login lockout"

    def __str__(self) -> str:
        return self.username


class UpstreamCallCount(models.Model):
    """Upstream calls a user's requests caused in one minute (see `customers.call_budget`).

    Used when the shared cache cannot count atomically (Django's database cache); with
    Redis the count lives there. A user keeps a row for their latest minute only.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    minute = models.BigIntegerField()  # minutes since the epoch (UTC)
    calls = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "minute"], name="one_call_count_per_minute")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.calls} calls in minute {self.minute}"


# Models of their own modules, imported here so that Django (and migrations) see them.
from .exports.files import ExportFile  # noqa: E402
from .jobs import Job  # noqa: E402
from .review.snapshot import BranchSnapshot  # noqa: E402

__all__ = [
    "AuditEntry",
    "Branch",
    "BranchMembership",
    "BranchSnapshot",
    "Customer",
    "ExportFile",
    "FormSubmission",
    "Job",
    "LoginLockout",
    "UpstreamCallCount",
]
