"""A finished export: kept CTAX_EXPORT_KEEP_HOURS for the user who asked, and no one else.

The bytes live where every instance can read them: in the database by default, or in
the `STORAGES` backend named by CTAX_EXPORT_STORAGE (e.g. a shared S3 bucket)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ExportFile(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    job = models.OneToOneField("customers.Job", on_delete=models.CASCADE, related_name="file")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=200)
    format = models.CharField(max_length=10)
    rows = models.PositiveIntegerField(default=0)
    content = models.BinaryField(null=True, blank=True, help_text="the bytes, if kept here")
    storage_name = models.CharField(max_length=300, blank=True, help_text="else, its name there")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "customers"
        default_permissions = ()

    def __str__(self) -> str:
        return self.file_name

    @property
    def expires_at(self) -> dt.datetime:
        return self.created_at + _kept_for()

    def read(self) -> bytes:
        if self.storage_name:
            with _storage().open(self.storage_name, "rb") as handle:
                return handle.read()
        return bytes(self.content or b"")


def _storage():
    return storages[settings.CTAX_EXPORT_STORAGE]


def _kept_for() -> dt.timedelta:
    return dt.timedelta(hours=settings.CTAX_EXPORT_KEEP_HOURS)


def keep(*, job, owner, file_name: str, fmt: str, rows: int, data: bytes) -> ExportFile:
    stored = {"content": data}
    if settings.CTAX_EXPORT_STORAGE:
        name = _storage().save(f"exports/{job.pk}/{file_name}", ContentFile(data))
        stored = {"storage_name": name}
    return ExportFile.objects.create(
        job=job, owner=owner, file_name=file_name, format=fmt, rows=rows, **stored
    )


def for_owner(user, job_id) -> ExportFile | None:
    """The job's file if `user` asked for it and it has not expired; None otherwise."""
    cutoff = timezone.now() - _kept_for()
    return ExportFile.objects.filter(job_id=job_id, owner=user, created_at__gte=cutoff).first()


def remove_expired() -> int:
    """Expired files: their bytes in the storage first, then their rows (in one query,
    without reading the bytes kept in the database)."""
    old = ExportFile.objects.filter(created_at__lt=timezone.now() - _kept_for())
    for name in old.exclude(storage_name="").values_list("storage_name", flat=True):
        _storage().delete(name)
    return old.delete()[0]
