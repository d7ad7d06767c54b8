from django.db import models


class BenchCustomer(models.Model):
    """A local copy of a sandbox customer: what a stock admin would list."""

    customer_no = models.CharField("customer number", max_length=50)
    name = models.CharField(max_length=255)
    tin = models.CharField("TIN", max_length=11, blank=True)
    phone = models.CharField(max_length=50, blank=True)
    branch_id = models.CharField("branch", max_length=10)
    is_active = models.BooleanField("active", default=True)
    total_transactions = models.PositiveIntegerField("transactions", default=0)
    created_at = models.DateTimeField("created")

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.customer_no} {self.name}"
