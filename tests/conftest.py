"""Fixtures shared by every test: fast hashing, users, the sandbox over real HTTP, Chromium."""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM must not mind.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_tests(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.com", "pw-root-123")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def branches(db):
    """Local branches 00 and 01 (suites that need others define their own)."""
    from customers.models import Branch

    return {
        code: Branch.objects.create(code=code, name=name)
        for code, name in [("00", "Head Office"), ("01", "Mombasa Road")]
    }


@pytest.fixture
def sandbox_api(live_server, settings):
    """Point the service door at the sandbox served by live_server (real HTTP on loopback)."""
    settings.CTAX_API_BASE_URL = f"{live_server.url}/sandbox/api/v1"
    settings.CTAX_API_KEY = settings.CTAX_SANDBOX_API_KEY
    settings.CTAX_API_TIMEOUT = 5
    return live_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": [
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }
