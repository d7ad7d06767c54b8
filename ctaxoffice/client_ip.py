"""The client's address as login throttling (django-axes) counts it.

Behind CTAX_TRUSTED_PROXIES proxies (e.g. 1: one TLS proxy), each proxy appends the
address it received the request from to X-Forwarded-For, so the client's real address
is that many entries from the right; anything further left was written by the client
and is ignored. Without trusted proxies, the socket's address (REMOTE_ADDR).
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    trusted = settings.CTAX_TRUSTED_PROXIES
    if not trusted:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if len(hops) < trusted:  # did not come through the proxies we were told of
        return remote
    candidate = hops[-trusted]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
