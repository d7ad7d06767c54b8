"""Settings for the benchmark servers only: the project's settings, with two changes.

- CTAX_BENCH_REFAPP=1 installs `bench.refapp` (the stock-admin reference changelist).
- CTAX_BENCH_STATIC_ROOT moves collectstatic's output to the run's temporary directory.

Nothing in the app imports this module; `bench/run_bench.py` and `bench/load.py`
start their servers with DJANGO_SETTINGS_MODULE=bench.settings.
"""

import os

from ctaxoffice.settings import *  # noqa: F403

if os.environ.get("CTAX_BENCH_REFAPP") == "1":
    INSTALLED_APPS = [*INSTALLED_APPS, "bench.refapp"]  # noqa: F405

STATIC_ROOT = os.environ.get("CTAX_BENCH_STATIC_ROOT") or STATIC_ROOT  # noqa: F405

# With DEBUG off, Django sends request errors only to mail_admins: log them to stderr
# (the app server's error log) so that the scripts can count and show unexpected 500s.
LOGGING["loggers"]["django.request"] = {  # noqa: F405
    "handlers": ["console"],
    "level": "ERROR",
    "propagate": False,
}
