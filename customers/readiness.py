"""Does the upstream answer with our key? One answer for every process and instance.

The answer is kept CTAX_READYZ_CACHE_SECONDS in the shared cache and refreshed by one
process at a time, so /readyz probes and the administrators' status line, on every
worker and instance, make a handful of upstream calls, not one each.
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache

from .upstream.door import get_client
from .upstream.errors import UpstreamError

logger = logging.getLogger(__name__)

READY_KEY = "ctax:readyz:answer"
REFRESH_LOCK_KEY = "ctax:readyz:refreshing"
KEEP_STALE_SECONDS = 300  # a stale answer is still shown while another process refreshes
WAIT_STEP = 0.05


def readiness() -> bool:
    """The upstream's last known answer if fresh; else refresh it (one refresher at a time)."""
    known = cache.get(READY_KEY)
    if _fresh(known):
        return known["ready"]
    lock_seconds = int(settings.CTAX_API_TIMEOUT * 2) + 1
    if cache.add(REFRESH_LOCK_KEY, True, timeout=lock_seconds):
        try:
            known = cache.get(READY_KEY)  # a refresher may have finished since we looked
            if _fresh(known):
                return known["ready"]
            ready, reason = check_ready()
            if not ready:  # once per refresh, not once per probe
                logger.warning("Not ready: the upstream said %s", reason)
            cache.set(
                READY_KEY, {"ready": ready, "reason": reason, "at": time.time()}, KEEP_STALE_SECONDS
            )
        finally:
            cache.delete(REFRESH_LOCK_KEY)
        return ready
    if known is not None:  # someone else is refreshing: the last answer will do
        return known["ready"]
    return _wait_for_refresher(lock_seconds)


def check_ready() -> tuple[bool, str]:
    """Does the upstream answer with our key? (One small list call.)"""
    try:
        get_client().list_customers(per_page=1)
    except UpstreamError as exc:
        return False, type(exc).__name__
    return True, "ok"


def _fresh(known: dict | None) -> bool:
    return known is not None and time.time() - known["at"] < settings.CTAX_READYZ_CACHE_SECONDS


def _wait_for_refresher(seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(WAIT_STEP)
        known = cache.get(READY_KEY)
        if known is not None:
            return known["ready"]
    return False


def last_known() -> dict | None:
    """The last answer kept by /readyz ({"ready", "reason", "at"}); no upstream call."""
    return cache.get(READY_KEY)
