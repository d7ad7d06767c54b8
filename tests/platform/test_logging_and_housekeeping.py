"""Log lines cannot be forged; 500s are logged with their traceback; housekeeping."""

import datetime as dt
import io
import json
import logging
import uuid

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from ctaxoffice.logging import JsonFormatter, PlainFormatter
from customers.housekeeping import CacheRow
from customers.models import FormSubmission

FORGED = "abc\n2026-06-15 09:30:00 INFO customers.upstream all good\x1b[2K\r\u2028"


def record(**extra) -> logging.LogRecord:
    rec = logging.makeLogRecord(
        {
            "name": "customers.upstream",
            "levelname": "INFO",
            "msg": "upstream GET /customers status=%s request_id=%s",
            "args": (200, FORGED),
        }
    )
    rec.__dict__.update(extra)
    return rec


def test_plain_lines_escape_control_characters_from_the_upstream():
    line = PlainFormatter("%(asctime)s %(levelname)s %(name)s %(message)s").format(record())
    assert "\n" not in line and "\r" not in line and "\x1b" not in line and "\u2028" not in line
    assert "request_id=abc\\x0a2026-06-15" in line and "\\x1b[2K\\x0d\\u2028" in line


def test_json_lines_escape_control_characters_from_the_upstream():
    line = JsonFormatter().format(record(request_id=FORGED))
    assert "\n" not in line and "\x1b" not in line and "\u2028" not in line
    assert json.loads(line)["request_id"] == FORGED


def test_a_traceback_keeps_its_lines_but_not_forged_ones():
    try:
        raise ValueError("bad\x1b[31m value\rhere")
    except ValueError:
        import sys

        rec = record(exc_info=sys.exc_info())
    text = PlainFormatter("%(message)s").format(rec)
    assert "Traceback (most recent call last):\n" in text
    assert "\x1b" not in text and "\r" not in text and "bad\\x1b[31m value\\x0dhere" in text


def test_the_configured_formatter_is_the_escaping_one(settings):
    assert settings.LOGGING["formatters"]["plain"]["()"] == "ctaxoffice.logging.PlainFormatter"
    handler = next(h for h in logging.getLogger("customers").handlers if h.name == "console")
    assert isinstance(handler.formatter, PlainFormatter | JsonFormatter)


@pytest.mark.django_db
def test_an_unhandled_exception_is_logged_with_its_traceback(client, monkeypatch):
    from customers.views import health

    class Broken:
        def exists(self):
            raise RuntimeError("database exploded")

    monkeypatch.setattr(health.Branch, "objects", Broken())
    handler = next(h for h in logging.getLogger("django.request").handlers if h.name == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        client.raise_request_exception = False
        assert client.get("/readyz").status_code == 500
    finally:
        handler.setStream(previous)
    logged = stream.getvalue()
    assert "ERROR django.request Internal Server Error: /readyz" in logged
    assert "Traceback (most recent call last)" in logged and "database exploded" in logged


@pytest.mark.django_db
def test_housekeeping_removes_expired_sessions_old_tokens_and_expired_cache_rows():
    now = timezone.now()
    live, dead = SessionStore(), SessionStore()
    live.create()
    dead.create()
    Session.objects.filter(session_key=dead.session_key).update(
        expire_date=now - dt.timedelta(minutes=1)
    )
    old, fresh = (
        FormSubmission.objects.create(token=uuid.uuid4()),
        FormSubmission.objects.create(token=uuid.uuid4()),
    )
    FormSubmission.objects.filter(pk=old.pk).update(created_at=now - dt.timedelta(hours=13))
    CacheRow.objects.create(cache_key="gone", value="x", expires=now - dt.timedelta(seconds=1))
    CacheRow.objects.create(cache_key="kept", value="x", expires=now + dt.timedelta(hours=1))
    out = io.StringIO()
    call_command("ctax_housekeeping", stdout=out)
    assert out.getvalue().strip() == (
        "Removed 1 expired sessions, 1 old form tokens, 1 expired cache rows; 0 "
        "unfinished writes marked unknown."
    )
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert list(FormSubmission.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert list(CacheRow.objects.values_list("cache_key", flat=True)) == ["kept"]
