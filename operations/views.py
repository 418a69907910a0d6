"""/healthz and /readyz: JSON for load balancers and orchestrators, no authentication, no
session, no secret in the answer (operations/health.py)."""
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import health


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process answers: nothing else is touched, so a database outage never gets the web
    processes restarted by a liveness probe."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Database, broker, cache and (when configured) Stripe; 503 when any is down, so a load
    balancer stops sending traffic here until it is back."""
    ready, results = health.readiness()
    return JsonResponse({"status": "ok" if ready else "down", "checks": results}, status=200 if ready else 503)
