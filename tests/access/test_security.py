"""CSRF, login throttling, production settings, the key kept server-side, failed writes audited."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import responses
from django.test import Client

from customers import submissions
from customers.models import AuditEntry

ROOT = Path(__file__).resolve().parents[2]


def test_a_write_without_csrf_token_is_rejected(served_upstream, users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["manager00"])
    response = client.post("/customers/1/delete/")
    assert response.status_code == 403
    assert not served_upstream.calls_to("DELETE", "customers/1")


def test_htmx_writes_carry_the_token_in_a_header(served_upstream, users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["staff01"])
    page = client.get("/customers/new/").content.decode()
    assert 'hx-headers=\'{"X-CSRFToken": "' in page
    token = page.split('"X-CSRFToken": "')[1].split('"')[0]
    ok = client.post(
        "/customers/validate/tin/",
        {"tin": "bad"},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert ok.status_code == 200
    refused = client.post(
        "/customers/validate/tin/", {"tin": "bad"}, headers={"HX-Request": "true"}
    )
    assert refused.status_code == 403


def test_the_csrf_secret_stays_in_the_session_not_in_a_cookie(served_upstream, users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["staff01"])

    response = client.get("/customers/new/")

    assert "X-CSRFToken" in response.content.decode()
    assert "csrftoken" not in response.cookies
    assert "Set-Cookie" not in response.headers


def test_logout_is_a_post(client, users):
    client.force_login(users["staff01"])
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302


def test_repeated_bad_logins_are_throttled(client, users, settings):
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        response = client.post("/accounts/login/", {"username": "staff01", "password": "wrong"})
        assert response.status_code == (429 if attempt == settings.AXES_FAILURE_LIMIT else 200)
    locked = client.post("/accounts/login/", {"username": "staff01", "password": "pw"})
    assert locked.status_code == 429
    assert "Too many failed log-in attempts" in locked.content.decode()


def test_a_good_login_still_works_below_the_limit(client, users):
    client.post("/accounts/login/", {"username": "staff01", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "staff01", "password": "pw"})
    assert response.status_code == 302


def test_the_api_key_never_reaches_a_page(client, served_upstream, users):
    client.force_login(users["admin"])
    for url in ["/customers/", "/customers/1/", "/customers/1/edit/", "/customers/new/"]:
        assert "k-test-secret" not in client.get(url).content.decode()


def test_pages_send_a_strict_content_security_policy(client, served_upstream, users, settings):
    client.force_login(users["admin"])
    response = client.get("/customers/")
    policy = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    html = response.content.decode()
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert html.count("<script") == html.count(f'nonce="{nonce}"')
    assert "hx-on" not in html


def test_a_failed_upstream_write_is_audited(client, served_upstream, users):
    served_upstream.replace(
        responses.DELETE,
        "customers/1",
        json={"status": "error", "message": "Server Error"},
        status=500,
    )
    client.force_login(users["manager00"])
    response = client.post("/customers/1/delete/", {"submission_token": submissions.new_token()})
    assert response.status_code == 503
    entry = AuditEntry.objects.get()
    # A 5xx to a write: the write may or may not have happened upstream.
    assert entry.action == "delete" and entry.outcome == "unknown"
    assert "Unavailable" in entry.error and entry.customer_no == "HQ001"


def test_failed_create_is_audited_with_the_fields_tried(client, served_upstream, users):
    served_upstream.replace(
        responses.POST,
        "customers",
        status=409,
        json={
            "status": "error",
            "message": "Customer with this customer_no already exists in this branch",
        },
    )
    client.force_login(users["staff01"])
    response = client.post(
        "/customers/new/",
        {
            "branch_id": "01",
            "customer_no": "MSA001",
            "name": "Dup Ltd",
            "submission_token": submissions.new_token(),
        },
    )
    assert response.status_code == 200
    assert "The customer number MSA001 is already taken" in response.content.decode()
    entry = AuditEntry.objects.get()
    assert entry.outcome == "failure" and entry.changes["name"] == [None, "Dup Ltd"]


@pytest.mark.django_db
def test_the_audit_trail_is_read_only_in_the_admin(client, users):
    client.force_login(users["admin"])
    assert client.get("/admin/customers/auditentry/").status_code == 200
    assert client.get("/admin/customers/auditentry/add/").status_code == 403


def test_check_deploy_passes_with_production_settings():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "office.example.com",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env["DJANGO_DEBUG"] = "0"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr
