"""Requests refused before the session exists get a short page and one log line."""

import io
import logging

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["office.example.com"]
    return settings


@pytest.fixture
def log_lines():
    """What the configured console handlers write, as a production log would show it."""
    handlers = {
        handler
        for name in ("django", "django.request", "django.security", "customers")
        for handler in logging.getLogger(name).handlers
        if type(handler) is logging.StreamHandler  # not pytest's own capturing handlers
    }
    buffer = io.StringIO()
    before = {handler: handler.setStream(buffer) for handler in handlers}
    yield lambda: buffer.getvalue().splitlines()
    for handler, stream in before.items():
        handler.setStream(stream)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_wrong_host_over_plain_http_is_a_short_400_and_one_log_line(
    production, log_lines, method
):
    client = Client(raise_request_exception=False)
    response = getattr(client, method)("/customers/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Bad request" in page and len(page) < 2000
    lines = log_lines()
    assert len(lines) == 1, lines
    assert "Invalid HTTP_HOST header" in lines[0]


def test_the_csrf_failure_page_needs_no_session(production, rf):
    from django.conf import settings
    from django.utils.module_loading import import_string

    request = rf.post("/customers/new/", HTTP_HOST="office.example.com")
    response = import_string(settings.CSRF_FAILURE_VIEW)(request, reason="CSRF cookie not set.")
    assert response.status_code == 403
    assert "session" not in vars(request)
