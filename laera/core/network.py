"""Where a request comes from: the client's address, read behind a known number of trusted proxies.

Læra usually runs behind one or more reverse proxies. Each proxy appends the address it received the
request from to `X-Forwarded-For`, so with `LAERA_TRUSTED_PROXY_COUNT = n` the client is the n-th entry
from the right: everything further left was written by the client (or by proxies we do not know) and
can be forged. With 0 (the default) the header is ignored and REMOTE_ADDR is the client.

A header that is shorter than the configured count, or whose chosen entry is not an IP address, means
the request did not come through the proxies as configured: the address of the nearest peer
(REMOTE_ADDR) is used then, which can never be chosen by the client.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

UNKNOWN = "unknown"


def _ip(value: str) -> str | None:
    """The address in canonical form, or None when `value` is not a single IPv4 or IPv6 address."""
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    try:
        return ipaddress.ip_address(value).compressed
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The client's IP address, or "unknown" when the server did not give one."""
    remote = _ip(str(request.META.get("REMOTE_ADDR") or "")) or UNKNOWN
    trusted = int(getattr(settings, "LAERA_TRUSTED_PROXY_COUNT", 0) or 0)
    if trusted <= 0:
        return remote
    header = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    hops = [hop.strip() for hop in header.split(",")] if header.strip() else []
    if len(hops) < trusted:
        return remote
    return _ip(hops[-trusted]) or remote
