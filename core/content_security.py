"""The Content-Security-Policy header (django-csp), plus the origins the site's own settings
name: Stripe.js (`STRIPE_JS_URL`, and Stripe's API it calls) and the map tiles
(`MAP_TILES_URL`). They are read at each response, so the policy always matches what the
page loads — the tests point both at local servers (devtools/testing.py)."""
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.conf import settings

# What Stripe's own Stripe.js needs besides its script's origin (Stripe's CSP guide).
STRIPE_HOSTED = {
    "script-src": ["https://*.js.stripe.com"],
    "frame-src": ["https://*.js.stripe.com", "https://hooks.stripe.com"],
    "connect-src": ["https://api.stripe.com"],
}


def origin(url: str) -> str:
    """'https://a.tile.example.org' for 'https://{s}.tile.example.org/{z}/{x}/{y}.png' is one
    subdomain of many: the source is then '*.tile.example.org'. '' for an empty or relative URL."""
    parts = urlsplit(url.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def configured_sources() -> dict[str, list[str]]:
    sources: dict[str, list[str]] = {}

    def allow(directive: str, *values: str) -> None:
        sources.setdefault(directive, []).extend(value for value in values if value)

    stripe_js = origin(settings.STRIPE_JS_URL)
    for directive in ("script-src", "frame-src", "connect-src"):
        allow(directive, stripe_js)
    allow("connect-src", origin(settings.STRIPE_API_BASE))
    if stripe_js == "https://js.stripe.com":
        for directive, values in STRIPE_HOSTED.items():
            allow(directive, *values)
    allow("img-src", origin(settings.MAP_TILES_URL))
    return {directive: sorted(set(values)) for directive, values in sources.items() if values}


class CSPMiddleware(DjangoCSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        update = dict(parts.update or {})
        for directive, values in configured_sources().items():
            update[directive] = [*update.get(directive, ()), *values]
        parts.update = update
        return parts
