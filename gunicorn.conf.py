"""gunicorn's settings for ctaxoffice in production.

gunicorn reads this file from the directory it is started in; options given on the
command line win over it. Each environment variable below overrides one value.

A page spends most of its life waiting for the upstream (a second or more on a slow
link), so each worker runs many threads; and because one process runs Python on one
core at a time, the threads are spread over several workers: a probe of /healthz then
waits behind fewer busy threads. 4 workers x 64 threads held 100 users on a 1 s
upstream with 2 shared cores (README, "Load"). With PostgreSQL, a request holds a
connection only while it reads or writes (it gives it back before each upstream call),
so CTAX_DB_POOL_MAX (8) per worker is enough.
"""

import gc
import os

wsgi_app = "ctaxoffice.wsgi"
bind = os.environ.get("CTAX_BIND", "0.0.0.0:8000")
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
threads = int(os.environ.get("CTAX_THREADS", "64"))
# Longer than a load balancer's idle timeout (60 s on most), so that the app never
# closes a kept-alive connection just as the balancer sends the next request on it.
keepalive = int(os.environ.get("CTAX_KEEPALIVE", "75"))


def post_worker_init(worker):
    """Take what the worker loaded at start (Django, the app, every module) out of the
    garbage collector's scans: a full collection then walks only what requests left,
    so it holds the worker's threads for less time."""
    gc.freeze()
