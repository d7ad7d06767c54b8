"""Local stand-in for the C-Ushuru Customers API data (sandbox only)."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone


class SandboxBranch(models.Model):
    code = models.CharField(max_length=10, primary_key=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = "sandbox branch"
        verbose_name_plural = "sandbox branches"

    def __str__(self):
        return f"{self.code} {self.name}"


class SandboxCustomer(models.Model):
    # `branch_id` holds the branch code ("00"), exactly what the API exposes;
    # the composite indexes in Meta cover lookups by branch.
    branch = models.ForeignKey(
        SandboxBranch, on_delete=models.PROTECT, related_name="customers", db_index=False
    )
    customer_no = models.CharField(max_length=50)
    name = models.CharField(max_length=255)
    tin = models.CharField(max_length=11, blank=True, default="")
    phone = models.CharField(max_length=50, blank=True, default="")
    email = models.CharField(max_length=255, blank=True, default="")
    address = models.CharField(max_length=500, blank=True, default="")
    is_active = models.BooleanField(default=True)
    metadata = models.JSONField(default=dict, blank=True)
    # Optional text fields hold "" when absent; the API shows that as null.
    # Plain defaults rather than auto_now*, so the seed can write history.
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["deleted_at", "id"], name="sbx_cust_deleted_id"),
            models.Index(fields=["branch", "deleted_at", "id"], name="sbx_cust_branch_deleted_id"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "customer_no"],
                condition=Q(deleted_at__isnull=True),
                name="sbx_cust_unique_no_per_branch",
            ),
        ]

    def __str__(self):
        return f"{self.customer_no} {self.name}"


class SandboxTransaction(models.Model):
    SALES = "sales"
    PURCHASES = "purchases"
    TYPES = [(SALES, "Sales"), (PURCHASES, "Purchases")]
    STATUSES = [("success", "Success"), ("pending", "Pending"), ("failed", "Failed")]

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Covered by the (customer, ...) composite indexes in Meta.
    customer = models.ForeignKey(
        SandboxCustomer, on_delete=models.PROTECT, related_name="transactions", db_index=False
    )
    type = models.CharField(max_length=10, choices=TYPES)
    invoice_no = models.CharField(max_length=50)
    total_amount = models.DecimalField(max_digits=14, decimal_places=2)
    tax_amount = models.DecimalField(max_digits=14, decimal_places=2)
    status = models.CharField(max_length=10, choices=STATUSES, default="success")
    branch = models.ForeignKey(SandboxBranch, on_delete=models.PROTECT, related_name="transactions")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["customer", "created_at"], name="sbx_tx_customer_created"),
            models.Index(
                fields=["customer", "type", "created_at"], name="sbx_tx_customer_type_created"
            ),
            models.Index(fields=["created_at"], name="sbx_tx_created"),
        ]

    def __str__(self):
        return f"{self.invoice_no} ({self.type})"


class SandboxFaults(models.Model):
    """Singleton row (pk=1) holding the fault-injection knobs; see sandbox.faults."""

    latency_ms = models.PositiveIntegerField(default=0)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    retry_after = models.PositiveIntegerField(null=True, blank=True)
    hang_seconds = models.FloatField(default=0)
    body = models.CharField(max_length=20, blank=True, default="")
    fraction = models.FloatField(default=1.0)
    paths = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "sandbox faults"
        verbose_name_plural = "sandbox faults"

    def __str__(self):
        return "Sandbox fault knobs"
