"""Probes for load balancers: /healthz (the app is up), /readyz (the upstream answers)."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .. import services


@require_GET
@never_cache
@login_not_required
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
@login_not_required
def readyz(request):
    ready, reason = services.check_ready()
    return JsonResponse(
        {"status": "ready" if ready else "unavailable", "upstream": reason},
        status=200 if ready else 503,
    )
