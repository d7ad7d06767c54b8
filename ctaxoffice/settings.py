"""Settings for ctaxoffice, read from the environment (and an optional `.env`).

Safe values are the defaults: DJANGO_DEBUG is off unless set (`make run` sets it), and
with it off the project refuses to start without a real DJANGO_SECRET_KEY. Everything
that must be one truth for every worker and instance (sessions, login throttling, form
tokens, probe caches) lives in the database or the shared cache, never in one process.
"""

import ipaddress
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

_DEV_SECRET_KEY = "django-insecure-development-only-key-not-for-production"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a long random value when DJANGO_DEBUG is off."
    )

# Settings that are gone: the app refuses to start while one is set, saying what replaced it.
_GONE = {
    "CTAX_TRUSTED_PROXIES": "CTAX_TRUSTED_PROXIES is gone: set CTAX_TRUSTED_PROXY_NETWORKS to "
    "your proxies' addresses (CIDRs, e.g. 10.0.0.0/8) instead.",
    "CTAX_FORM_TOKEN_HOURS": "CTAX_FORM_TOKEN_HOURS was replaced by CTAX_FORM_HOURS (how long "
    "a form's token stays good; default 12): rename the setting.",
}
for _name, _why in _GONE.items():
    if _name in env.ENVIRON:
        raise ImproperlyConfigured(_why)

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

# The built-in sandbox API (its tables, admin and URLs) exists only where it is enabled.
CTAX_SANDBOX_ENABLED = env.bool("CTAX_SANDBOX_ENABLED", default=DEBUG)

INSTALLED_APPS = [
    "customers",
    *(["sandbox"] if CTAX_SANDBOX_ENABLED else []),
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_tasks_db",  # background jobs: rows in our database, run by `manage.py db_worker`
]

MIDDLEWARE = [
    "customers.views.health.HealthProbeMiddleware",  # first: /healthz answers at once
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ctaxoffice.middleware.PrivatePagesNotStoredMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "customers.login_lifetime.LoginLifetimeMiddleware",  # before CSRF reads the session
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "customers.middleware.UpstreamPayerMiddleware",
    "customers.middleware.UpstreamErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ctaxoffice.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

WSGI_APPLICATION = "ctaxoffice.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's built-in pool (psycopg_pool), one per worker process. Every in-flight
    # request holds a connection until it ends, so keep
    # instances x workers x CTAX_DB_POOL_MAX below PostgreSQL's max_connections (100).
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("CTAX_DB_POOL_MIN", default=2),
        "max_size": env.int("CTAX_DB_POOL_MAX", default=8),
        "timeout": env.float("CTAX_DB_POOL_TIMEOUT", default=10.0),
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several threads (runserver, the sandbox's own calls, live_server) share the file:
    # wait for a lock instead of failing, and let readers run beside a writer.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # A file, not memory, for tests: live_server threads then get their own connections.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}

# --- Shared cache and sessions ----------------------------------------------
# CACHE_URL (e.g. redis://127.0.0.1:6379/1: Django's built-in Redis backend) is shared by
# every worker and instance. Without it, Django's database cache: its table is made by a
# migration (customers 0003), so it is one truth for every process too.
CACHE_TABLE = "ctax_cache"
if env.str("CACHE_URL", default=""):
    CACHES = {"default": env.cache_url("CACHE_URL")}
    # Sessions read from the shared cache, written through to the database.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
CACHES["default"].setdefault("KEY_PREFIX", env.str("CTAX_CACHE_KEY_PREFIX", default="ctax"))
# Every page is behind a login, so flash messages ride in the session (no signed cookie).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
# A login lasts CTAX_SESSION_HOURS from the login, never extended (customers/login_lifetime),
# and ends when the browser closes unless the user ticks "Remember me" (then the cookie
# lasts until the same end).
CTAX_SESSION_HOURS = env.float("CTAX_SESSION_HOURS", default=10)
SESSION_COOKIE_AGE = int(CTAX_SESSION_HOURS * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "customers.login_lockouts.UsernameLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (django-axes): 5 failures for one username from one address
# lock that pair out for 15 minutes.
AXES_FAILURE_LIMIT = env.int("CTAX_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("CTAX_LOGIN_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Failures per username from any address: customers/login_lockouts.py (20 an hour, then
# an escalating wait; unlocked in the admin). Both refusals show one page with the time.
AXES_LOCKOUT_CALLABLE = "customers.login_lockouts.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Attempts are counted in the database (one truth for every worker and instance).
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_CACHE = "default"
# Behind a TLS proxy, the client's address is in X-Forwarded-For, believed only from the
# proxies in CTAX_TRUSTED_PROXY_NETWORKS (CIDRs, e.g. 10.0.0.0/8); from anyone else the
# socket's address counts (ctaxoffice/client_ip.py).
try:
    CTAX_TRUSTED_PROXY_NETWORKS = [
        ipaddress.ip_network(cidr, strict=False)
        for cidr in env.list("CTAX_TRUSTED_PROXY_NETWORKS", default=[])
    ]
except ValueError as exc:
    raise ImproperlyConfigured(f"CTAX_TRUSTED_PROXY_NETWORKS: {exc}") from exc
AXES_CLIENT_IP_CALLABLE = "ctaxoffice.client_ip.client_ip"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Africa/Nairobi"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "ctaxoffice.storage.StaticStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Security -------------------------------------------------------------
HTTPS = env.bool("DJANGO_HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# The CSRF secret lives in the session (read on every request anyway), not in a cookie
# that Django re-sends with every page that shows a form; pages carry the token itself.
CSRF_USE_SESSIONS = True
# A form sent after its login ended goes to the login page and back, draft kept.
CSRF_FAILURE_VIEW = "ctaxoffice.error_views.csrf_failure"
SECURE_SSL_REDIRECT = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000) if HTTPS else 0
# Both commit every subdomain (and, with preload, the browsers' built-in list) to HTTPS
# for years: off unless the domain's owner says so.
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = HTTPS and env.bool("DJANGO_HSTS_PRELOAD", default=False)
# `check --deploy` warns while either is off; that is this project's deliberate default.
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- The upstream Customers API ------------------------------------------
# The built-in sandbox (CTAX_SANDBOX_ENABLED, above) serves it at /sandbox/api/v1/.
CTAX_SANDBOX_API_KEY = env.str("CTAX_SANDBOX_API_KEY", default="sandbox-demo-key")
CTAX_API_BASE_URL = env.str(
    "CTAX_API_BASE_URL", default="http://127.0.0.1:8000/sandbox/api/v1"
).rstrip("/")
CTAX_API_KEY = env.str("CTAX_API_KEY", default=CTAX_SANDBOX_API_KEY)
CTAX_API_TIMEOUT = env.float("CTAX_API_TIMEOUT", default=5.0)
# The largest upstream answer read, in bytes (5 MB = 5,000,000); a larger one is
# "could not read" (502), and is never read whole into memory.
CTAX_API_MAX_BYTES = env.int("CTAX_API_MAX_BYTES", default=5_000_000)
# Seconds a page that fans out (history totals, chart, statement) waits for all its
# calls; unset: CTAX_API_TIMEOUT (read when the page starts, so both stay in step).
CTAX_PAGE_DEADLINE = env.float("CTAX_PAGE_DEADLINE", default=None)
# Upstream calls one user's requests may cause in a minute (every worker and instance
# counted together); past it a 429 page and nothing is sent. Calls made outside a
# user's request (background jobs) are not charged to anybody. 0: no limit.
CTAX_USER_CALLS_PER_MINUTE = env.int("CTAX_USER_CALLS_PER_MINUTE", default=300)
# An outbound proxy for the upstream calls, if the network needs one (e.g.
# http://proxy.branch.local:3128); the usual *_PROXY variables are not read.
CTAX_API_PROXY = env.str("CTAX_API_PROXY", default="")
# /readyz keeps its answer this long in the shared cache (anyone may call it).
CTAX_READYZ_CACHE_SECONDS = env.float("CTAX_READYZ_CACHE_SECONDS", default=5.0)
# A write form's token (issued by the server, signed with its issue time) is good this
# long; `manage.py ctax_housekeeping` keeps claimed tokens at least as long.
CTAX_FORM_HOURS = env.float("CTAX_FORM_HOURS", default=12.0)
# The business named on statements; unset, a statement names no business (never ours).
CTAX_BUSINESS_NAME = env.str("CTAX_BUSINESS_NAME", default="")
# The statement's letterhead: the business's KRA PIN, postal address, and a logo given as
# a static file path (e.g. "ctax/logo.png") or a URL (the CSP's img-src must allow it).
CTAX_BUSINESS_PIN = env.str("CTAX_BUSINESS_PIN", default="")
CTAX_BUSINESS_ADDRESS = env.str("CTAX_BUSINESS_ADDRESS", default="")
CTAX_BUSINESS_LOGO = env.str("CTAX_BUSINESS_LOGO", default="")

# --- Background jobs (the branch review) ------------------------------------
# Django's tasks framework on django-tasks-db: a job is a row of our database, run by any
# `manage.py db_worker` sharing it. Jobs keep a heartbeat; one not heard from for
# CTAX_JOB_STALE_SECONDS is marked failed (by housekeeping, a worker's start, its page).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
CTAX_BACKGROUND_CALLS_PER_SECOND = env.float("CTAX_BACKGROUND_CALLS_PER_SECOND", default=10.0)
CTAX_JOB_STALE_SECONDS = env.float("CTAX_JOB_STALE_SECONDS", default=120.0)
CTAX_JOB_HEARTBEAT_SECONDS = env.float("CTAX_JOB_HEARTBEAT_SECONDS", default=15.0)
CTAX_REVIEW_KEEP_DAYS = env.float("CTAX_REVIEW_KEEP_DAYS", default=7.0)
# The list's and the history's CSV stream up to this many rows; beyond it (and every
# XLSX) the export is a job whose file is kept CTAX_EXPORT_KEEP_HOURS for its owner, in
# the database, or in the STORAGES backend named by CTAX_EXPORT_STORAGE (shared by all).
CTAX_EXPORT_STREAM_MAX_ROWS = env.int("CTAX_EXPORT_STREAM_MAX_ROWS", default=1000)
CTAX_EXPORT_KEEP_HOURS = env.float("CTAX_EXPORT_KEEP_HOURS", default=24.0)
CTAX_EXPORT_STORAGE = env.str("CTAX_EXPORT_STORAGE", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # Both escape control characters: nothing from the upstream forges a log line.
        "plain": {
            "()": "ctaxoffice.logging.PlainFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "json": {"()": "ctaxoffice.logging.JsonFormatter"},
    },
    "filters": {"without_traceback": {"()": "ctaxoffice.logging.WithoutTraceback"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env.str("CTAX_LOG_FORMAT", default="plain"),  # or "json"
        },
        "console_one_line": {
            "class": "logging.StreamHandler",
            "formatter": env.str("CTAX_LOG_FORMAT", default="plain"),
            "filters": ["without_traceback"],
        },
    },
    "loggers": {
        "customers": {"handlers": ["console"], "level": env.str("CTAX_LOG_LEVEL", default="INFO")},
        # Unhandled exceptions (500s), with their traceback, whatever DEBUG says.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # A client's bad request (wrong Host, ...): one line each, no traceback.
        "django.security": {
            "handlers": ["console_one_line"],
            "level": "WARNING",
            "propagate": False,
        },
    },
}
