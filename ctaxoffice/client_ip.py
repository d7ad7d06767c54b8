"""The client's address as login throttling (django-axes) counts it.

X-Forwarded-For is believed only when the connection itself comes from a trusted
proxy (CTAX_TRUSTED_PROXY_NETWORKS, CIDRs): then the client is the right-most entry
that is not itself one of our proxies (each proxy appends the address it received the
request from; what is further left was written by the client). From anyone else the
header is ignored: the socket's address (REMOTE_ADDR). An `ip:port` entry counts as its
ip. (python-ipware trusts proxies by address prefix and reads the header whoever sent
it, so it does not fit.)
"""

import ipaddress

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_address(value: str) -> Address | None:
    """ "1.2.3.4", "1.2.3.4:5678", "::1", "[::1]:5678" -> the address; else None."""
    value = value.strip()
    if value.startswith("["):
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:
        value = value.partition(":")[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _trusted(address: Address) -> bool:
    return any(address in network for network in settings.CTAX_TRUSTED_PROXY_NETWORKS)


def client_ip(request) -> str | None:
    remote = parse_address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return request.META.get("REMOTE_ADDR")
    client = remote
    if _trusted(remote):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        for hop in reversed(forwarded):
            address = parse_address(hop)
            if address is None:  # unreadable: the last proxy's word is all we have
                break
            client = address
            if not _trusted(address):
                break
    return str(client)
