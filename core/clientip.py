"""The client's address, the one every rate limit is keyed on (allauth's through
accounts/adapter.py, the contact form's, the admin login's).

Behind a reverse proxy REMOTE_ADDR is the proxy's: every visitor would share one address and
one attacker could lock everybody out. With TRUSTED_PROXY_COUNT = N > 0 (docs/development.md),
the address is the N-th from the right of X-Forwarded-For — the one our own last proxy saw;
what a client writes to the left of it is never trusted. With 0 (the default, no proxy), the
header is ignored: anybody can send it."""
import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip().strip("[]")))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.headers.get("x-forwarded-for", "") if count > 0 else ""
    hops = [hop for hop in (part.strip() for part in forwarded.split(",")) if hop]
    if hops:
        # Fewer hops than proxies: the request skipped one; the leftmost is all there is.
        address = _valid(hops[-count] if len(hops) >= count else hops[0])
        if address:
            return address
    return _valid(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"  # noqa: S104 — a key, not a bind address
