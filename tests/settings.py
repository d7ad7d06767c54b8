"""Settings for the test run: the project's own, read with a test environment.

DJANGO_DEBUG is off by default in the project; tests set it (dev static files storage,
plain HTTP) and enable the sandbox, unless the caller's environment says otherwise.
DATABASE_URL and CACHE_URL pass through: CI runs the suite on SQLite + the database
cache, then again on PostgreSQL + Redis.

Background jobs keep the project's database backend (django-tasks-db), deliberately not
Django's immediate backend: that one would run a job inside the request that starts it
(a user's request waiting for hundreds of upstream calls, and charged for them). Tests
run the queue with the real worker in-process (tests/jobs_helpers.py).
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("CTAX_SANDBOX_ENABLED", "1")

from ctaxoffice.settings import *  # noqa: E402, F403
