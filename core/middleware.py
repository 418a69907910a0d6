"""Request guards every page shares."""
from collections.abc import Callable

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, QueryDict

NUL = "\x00"


class NulByteRejected(SuspiciousOperation):
    """Django turns it into a 400 page (templates/400.html when present)."""


def _has_nul(values: QueryDict) -> bool:
    return any(NUL in key or any(NUL in value for value in values.getlist(key)) for key in values)


class RejectNulBytesMiddleware:
    """A NUL byte in a query string or a posted form value is refused with a 400 before any
    view sees it: PostgreSQL rejects NUL in text, so any view that filters on a raw GET value
    (`?q=%00` on the owner's bookings) would answer 500. No legitimate form sends one.
    Bodies that are not forms (Stripe's JSON webhooks) are left untouched: `request.POST` is
    empty for them and reading it does not consume the body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request.GET) or NUL in request.path:
            raise NulByteRejected("NUL byte in the query string")
        if request.method == "POST" and request.content_type in (
                "application/x-www-form-urlencoded", "multipart/form-data") and _has_nul(request.POST):
            raise NulByteRejected("NUL byte in a posted value")
        return self.get_response(request)
