"""Security settings read from the environment, checked in a fresh process each time:
debug off by default, the sandbox only when enabled, HSTS commitments opt-in,
`check --deploy` clean in production, WSGI only."""

import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "office.example.com",
    "CTAX_API_BASE_URL": "https://c-ushuru.example/api/v1",
    "CTAX_API_KEY": "k-production",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {
        "PATH": "/usr/bin:/bin",
        "HOME": "/tmp",
        "DJANGO_SETTINGS_MODULE": "ctaxoffice.settings",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def setting_values(names: str, **env: str) -> list[str]:
    code = (
        "from django.conf import settings as s; "
        f"print(*[repr(getattr(s, n)) for n in {names.split()!r}], sep='|')"
    )
    done = manage("shell", "--no-imports", "-c", code, **env)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip().splitlines()[-1].split("|")


def test_debug_is_off_unless_set_and_then_a_real_secret_is_required():
    done = manage("check")
    assert done.returncode != 0 and "DJANGO_SECRET_KEY must be set" in done.stderr
    assert setting_values("DEBUG CTAX_SANDBOX_ENABLED", **PRODUCTION) == ["False", "False"]


def test_trusted_proxies_are_networks_and_the_old_setting_stops_the_app():
    networks = setting_values(
        "CTAX_TRUSTED_PROXY_NETWORKS",
        **PRODUCTION,
        CTAX_TRUSTED_PROXY_NETWORKS="10.0.0.0/8,fd00::/8",
    )
    assert networks == ["[IPv4Network('10.0.0.0/8'), IPv6Network('fd00::/8')]"]
    assert setting_values("CTAX_TRUSTED_PROXY_NETWORKS", **PRODUCTION) == ["[]"]
    done = manage("check", **PRODUCTION, CTAX_TRUSTED_PROXIES="1")
    assert done.returncode != 0 and "CTAX_TRUSTED_PROXIES is gone" in done.stderr


def test_the_sandbox_is_installed_only_when_enabled():
    off = setting_values("INSTALLED_APPS", **PRODUCTION)[0]
    on = setting_values("INSTALLED_APPS", **PRODUCTION, CTAX_SANDBOX_ENABLED="1")[0]
    assert "'sandbox'" not in off and "'sandbox'" in on
    code = "from django.urls import resolve; resolve('/sandbox/api/v1/customers')"
    assert manage("shell", "--no-imports", "-c", code, **PRODUCTION).returncode != 0
    assert (
        manage(
            "shell", "--no-imports", "-c", code, **PRODUCTION, CTAX_SANDBOX_ENABLED="1"
        ).returncode
        == 0
    )


def test_hsts_subdomains_and_preload_are_off_unless_set():
    names = "SECURE_HSTS_SECONDS SECURE_HSTS_INCLUDE_SUBDOMAINS SECURE_HSTS_PRELOAD"
    assert setting_values(names, **PRODUCTION) == ["31536000", "False", "False"]
    opted_in = {**PRODUCTION, "DJANGO_HSTS_INCLUDE_SUBDOMAINS": "1", "DJANGO_HSTS_PRELOAD": "1"}
    assert setting_values(names, **opted_in) == ["31536000", "True", "True"]
    plain_http = {**PRODUCTION, "DJANGO_HTTPS": "0", "DJANGO_HSTS_PRELOAD": "1"}
    assert setting_values(names, **plain_http) == ["0", "False", "False"]


@pytest.mark.parametrize(
    "extra",
    [{}, {"DJANGO_HSTS_INCLUDE_SUBDOMAINS": "1", "DJANGO_HSTS_PRELOAD": "1"}],
    ids=["defaults", "hsts-opted-in"],
)
def test_check_deploy_is_clean_in_production(extra):
    done = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, **extra)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "no issues" in done.stdout


def test_the_app_is_served_over_wsgi_only():
    """The streamed CSV needs a WSGI server: no ASGI entry point ships."""
    assert not (BASE_DIR / "ctaxoffice" / "asgi.py").exists()
    assert setting_values("WSGI_APPLICATION", **PRODUCTION) == ["'ctaxoffice.wsgi.application'"]
    code = "from django.conf import settings as s; print(hasattr(s, 'ASGI_APPLICATION'))"
    done = manage("shell", "--no-imports", "-c", code, **PRODUCTION)
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_a_shared_cache_url_gives_djangos_redis_backend_and_cached_sessions():
    names = "CACHES SESSION_ENGINE"
    caches, engine = setting_values(names, **PRODUCTION, CACHE_URL="redis://127.0.0.1:6379/1")
    assert "django.core.cache.backends.redis.RedisCache" in caches
    assert engine == "'django.contrib.sessions.backends.cached_db'"
    caches, engine = setting_values(names, **PRODUCTION)
    assert "django.core.cache.backends.db.DatabaseCache" in caches
    assert engine == "'django.contrib.sessions.backends.db'"


def test_postgresql_uses_djangos_connection_pool():
    names = "DATABASES"
    (databases,) = setting_values(names, **PRODUCTION, DATABASE_URL="postgres:///ctaxoffice")
    assert "'pool': {'min_size': 2, 'max_size': 8" in databases
    assert "'CONN_MAX_AGE': 0" in databases
