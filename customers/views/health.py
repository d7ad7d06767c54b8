"""Probes for load balancers: /healthz (the process answers), /readyz (it can serve).

/healthz is answered by `HealthProbeMiddleware` before any other middleware: no session,
no database, no host or HTTPS check, so that a probe stays fast when every thread is
busy and the database's connections are all in use, and an instance is never restarted
because a shared service is slow. /readyz needs no login and checks what serving
needs, and says only "ready" or "not ready" (why is logged, when the answer is
refreshed): the upstream, whose answer comes from the shared cache (see `readiness`), so a
flood of probes makes a handful of upstream calls, then the database.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ..models import Branch
from ..readiness import readiness

HEALTHZ_PATH = "/healthz"


@require_safe
@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


@require_safe
@never_cache
@login_not_required
def readyz(request):
    ready = readiness()  # why not is logged, never shown: anyone may ask
    # Then the database (an error here is the 500 a probe wants): asked after the wait
    # for the upstream, so that a flood of probes does not hold pooled connections idle.
    Branch.objects.exists()
    return JsonResponse(
        {"status": "ready" if ready else "not ready"},
        status=200 if ready else 503,
    )


class HealthProbeMiddleware:
    """Answers /healthz at once (it has no URL pattern); first in MIDDLEWARE. A load
    balancer probes each instance by its address, often over plain HTTP: ALLOWED_HOSTS
    and the HTTPS redirect would refuse it, and the answer holds nothing from the
    request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTHZ_PATH:
            return healthz(request)
        return self.get_response(request)
