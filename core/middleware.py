"""Request guards every page shares, and the request id of the logs."""
import logging
import time
import uuid
from collections.abc import Callable
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, QueryDict
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation

from . import logs

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


class RequestIdMiddleware:
    """Gives each request an id (the proxy's X-Request-ID when it is a sane one, else a new
    one), puts it in every log line and in the tasks the request enqueues (core/logs.py), sends
    it back as X-Request-ID, and logs one JSON line per request: method, path without its query
    string (which may carry tokens), status, duration, user id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if logs.SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        tokens = (logs.request_id_var.set(request_id), logs.request_var.set(request))
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            logging.getLogger("almaheritage.request").info(
                "%s %s %s", request.method, request.path, response.status_code,
                extra={"method": request.method, "path": request.path, "status": response.status_code,
                       "duration_ms": round((time.perf_counter() - started) * 1000, 1)})
            return response
        finally:
            logs.request_id_var.reset(tokens[0])
            logs.request_var.reset(tokens[1])


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's, with the language prefix of every page (almaheritage/urls.py):
    - an old unprefixed address ("/recherche/") redirects *permanently* to the visitor's
      language (a signed-in visitor's account language, else the cookie, then Accept-Language,
      then French; `Vary` says so), 308 for a POST so the form is not lost;
    - a signed-in visitor who goes from a page in one language to the same site in the other
      (the header's language switch, now a plain link) has the account's email language
      follow, as the old POST switch did; a link opened from an email (no Referer) changes
      nothing."""

    response_redirect_class = HttpResponsePermanentRedirect

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        was_missing = response.status_code == 404
        user = getattr(request, "user", None)
        if (was_missing and user is not None and user.is_authenticated and user.language
                and not translation.get_language_from_path(request.path_info)):
            translation.activate(user.language)  # a signed-in visitor's old link opens in their language
        response = super().process_response(request, response)
        if was_missing and response.status_code == 301 and request.method not in ("GET", "HEAD"):
            redirect = HttpResponse(status=308)
            redirect["Location"], redirect["Vary"] = response["Location"], response["Vary"]
            return redirect
        if user is not None and user.is_authenticated:
            self._follow_switch(request, user)
        return response

    @staticmethod
    def _follow_switch(request: HttpRequest, user) -> None:
        language = translation.get_language_from_path(request.path_info)
        if not language or user.language == language:
            return
        referer = urlsplit(request.headers.get("Referer", ""))
        if referer.netloc != request.get_host():
            return
        previous = translation.get_language_from_path(referer.path)
        if previous and previous != language:
            get_user_model().objects.filter(pk=user.pk).update(language=language)
            user.language = language
