"""Probes for load balancers: /healthz (the app is up), /readyz (the upstream answers).

/readyz needs no login, so its answer is kept CTAX_READYZ_CACHE_SECONDS in the shared
cache and refreshed by one process at a time: a flood of probes, on every worker and
instance, makes a handful of upstream calls, not one each.
"""

import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .. import services
from ..models import Branch

READY_KEY = "ctax:readyz:answer"
REFRESH_LOCK_KEY = "ctax:readyz:refreshing"
KEEP_STALE_SECONDS = 300  # a stale answer is still shown while another process refreshes
WAIT_STEP = 0.05


@require_GET
@never_cache
@login_not_required
def healthz(request):
    Branch.objects.exists()  # the database answers (an error here is the 500 a probe wants)
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
@login_not_required
def readyz(request):
    ready, reason = readiness()
    return JsonResponse(
        {"status": "ready" if ready else "unavailable", "upstream": reason},
        status=200 if ready else 503,
    )


def readiness() -> tuple[bool, str]:
    """The upstream's last known answer if fresh; else refresh it (one refresher at a time)."""
    known = cache.get(READY_KEY)
    if _fresh(known):
        return known["ready"], known["reason"]
    lock_seconds = int(settings.CTAX_API_TIMEOUT * 2) + 1
    if cache.add(REFRESH_LOCK_KEY, True, timeout=lock_seconds):
        try:
            known = cache.get(READY_KEY)  # a refresher may have finished since we looked
            if _fresh(known):
                return known["ready"], known["reason"]
            ready, reason = services.check_ready()
            cache.set(
                READY_KEY, {"ready": ready, "reason": reason, "at": time.time()}, KEEP_STALE_SECONDS
            )
        finally:
            cache.delete(REFRESH_LOCK_KEY)
        return ready, reason
    if known is not None:  # someone else is refreshing: the last answer will do
        return known["ready"], known["reason"]
    return _wait_for_refresher(lock_seconds)


def _fresh(known: dict | None) -> bool:
    return known is not None and time.time() - known["at"] < settings.CTAX_READYZ_CACHE_SECONDS


def _wait_for_refresher(seconds: float) -> tuple[bool, str]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(WAIT_STEP)
        known = cache.get(READY_KEY)
        if known is not None:
            return known["ready"], known["reason"]
    return False, "Unknown"
