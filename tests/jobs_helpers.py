"""Running background jobs in a test: the real `db_worker`, in this process, until the
queue is empty (its --batch mode). The test settings keep the database backend, as in
production, so a job never runs inside the request that started it."""

import io
import signal
import threading

from django.core.management import call_command
from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker

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


def start_worker_thread() -> threading.Thread:
    """The library's worker (what `db_worker --batch` runs) in a thread of this process,
    until the queue is empty; signals stay with the main thread."""

    def work():
        try:
            Worker(
                queue_names=["default"],
                interval=0.1,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id="test-thread",
                excluded_queue_names=[],
            ).run()
        finally:
            connection.close()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread
