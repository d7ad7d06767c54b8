"""Fixtures shared by every test: fast hashing, the fake upstream, users (one per role),
the sandbox over real HTTP, Chromium."""

import datetime as dt
import os
import pathlib
import uuid

import pytest
import time_machine

# Playwright's sync API runs an event loop in the test thread; Django's ORM must not mind.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_tests(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _own_cache_namespace(settings):
    """Each test sees an empty shared cache (Redis is shared by xdist workers and runs)."""
    settings.CACHES = {
        alias: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex[:12]}"}
        for alias, config in settings.CACHES.items()
    }


# Every in-process test runs at one fixed moment (the clock still ticks from there), so
# none depends on the calendar. `CTAX_TEST_NOW=2028-02-29T00:30+03:00 make test` runs the
# suite at another moment. Tests with a server the browser or `requests` talk to keep the
# real clock: cookies set in a frozen past would be dropped by their clients.
FROZEN_NOW = dt.datetime.fromisoformat(os.environ.get("CTAX_TEST_NOW", "2026-06-15T09:30+03:00"))
REAL_CLOCK_FIXTURES = {"live_server", "page", "sandbox_api"}


@pytest.fixture(autouse=True)
def _frozen_clock(request):
    if REAL_CLOCK_FIXTURES.intersection(request.fixturenames):
        yield None
        return
    with time_machine.travel(FROZEN_NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def fake_upstream_settings(settings):
    """The app pointed at tests.fakes.BASE_URL with its key (answered by `responses`)."""
    from tests.fakes import API_KEY, BASE_URL

    settings.CTAX_API_BASE_URL = BASE_URL
    settings.CTAX_API_KEY = API_KEY
    return settings


@pytest.fixture
def upstream(fake_upstream_settings):
    """The in-process fake of the upstream (tests/fakes.py), nothing answered yet; a
    fresh service client before and after, so none of another test's settings leak."""
    import responses

    from customers.upstream import door
    from tests.fakes import FakeUpstream

    fake_upstream_settings.CTAX_API_TIMEOUT = 2
    door.reset_client()
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield FakeUpstream(mock)
    door.reset_client()


@pytest.fixture
def served_upstream(upstream):
    """The same fake answering every documented endpoint from its state: HQ001 in branch
    00 and MSA001 in branch 01 (`.customers`), no history yet (`.histories`)."""
    from tests.fakes import two_branch_customers

    return upstream.serve(two_branch_customers())


@pytest.fixture
def users(django_user_model, branches):
    """One user per role, by name: staff00/staff01 (Office staff), manager00/manager01
    (Branch manager), norole00 (a branch, no role) and admin (a superuser)."""
    from tests.role_users import make_user

    return {
        "staff00": make_user(
            django_user_model, "staff00", role="Office staff", branch_codes=["00"]
        ),
        "staff01": make_user(
            django_user_model, "staff01", role="Office staff", branch_codes=["01"]
        ),
        "manager00": make_user(
            django_user_model, "manager00", role="Branch manager", branch_codes=["00"]
        ),
        "manager01": make_user(
            django_user_model, "manager01", role="Branch manager", branch_codes=["01"]
        ),
        "norole00": make_user(django_user_model, "norole00", branch_codes=["00"]),
        "admin": make_user(django_user_model, "admin", superuser=True),
    }


@pytest.fixture
def as_user(client, users):
    """as_user(name) -> the test client, logged in as that one of `users`."""

    def login(name):
        client.force_login(users[name])
        return client

    return login


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.com", "pw-root-123")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def branches(db):
    """The local branch registry: 00, 01 and 02, by code (the sandbox's own are separate)."""
    from customers.models import Branch

    return {
        code: Branch.objects.create(code=code, name=name)
        for code, name in [("00", "Head Office"), ("01", "Mombasa Road"), ("02", "Kisumu")]
    }


@pytest.fixture(scope="session", autouse=True)
def _live_server_without_nagle_delay():
    """live_server (started later, once per session) serves with tests.live_server_sockets."""
    from django.test.testcases import LiveServerThread

    from tests.live_server_sockets import NoDelayWSGIServer

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LiveServerThread, "server_class", NoDelayWSGIServer)
        yield


@pytest.fixture
def sandbox_api(live_server, settings):
    """Point the service door at the sandbox served by live_server (real HTTP on loopback)."""
    settings.CTAX_API_BASE_URL = f"{live_server.url}/sandbox/api/v1"
    settings.CTAX_API_KEY = settings.CTAX_SANDBOX_API_KEY
    settings.CTAX_API_TIMEOUT = 5
    return live_server


# Debian's Chromium in its headless build (package chromium-headless-shell: the browser
# Playwright itself runs headless) where it is installed: the browser tests take about
# 40 % less time than in the full browser, which headless mode still starts whole.
# CHROMIUM_PATH names another (/usr/bin/chromium, to watch a test with --headed).
HEADLESS_CHROMIUM = pathlib.Path("/usr/bin/chromium-headless-shell")


def chromium_path() -> str:
    if os.environ.get("CHROMIUM_PATH"):
        return os.environ["CHROMIUM_PATH"]
    return str(HEADLESS_CHROMIUM) if HEADLESS_CHROMIUM.exists() else "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path(),
        "args": [
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }
