"""Local data: the branch registry (customer records themselves live upstream)."""

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


class FormSubmission(models.Model):
    """A write form's one-time token: a double click or a reload never writes twice."""

    token = models.UUIDField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    customer_id = models.BigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return str(self.token)
