"""Probes for load balancers: /healthz (the app is up), /readyz (the upstream answers).

/readyz needs no login: its answer comes from the shared cache (see `readiness`), so a
flood of probes makes a handful of upstream calls.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..models import Branch
from ..readiness import readiness


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
