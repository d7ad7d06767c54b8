"""Running background jobs in a test: the real `db_worker`, in this process, until the
queue is empty (its --batch mode). The test settings keep the database backend, as in
production, so a job never runs inside the request that started it."""

import io
import signal

from django.core.management import call_command

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)


def run_queued_jobs() -> str:
    saved = {sig: signal.getsignal(sig) for sig in SIGNALS}  # the worker installs its own
    out = io.StringIO()
    try:
        call_command(
            "db_worker", batch=True, reload=False, startup_delay=False, verbosity=0, stdout=out
        )
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
    return out.getvalue()
