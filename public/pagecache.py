"""A short whole-page cache for anonymous visitors' repeated searches, shared by every
process (the Django cache: Redis in production, settings/production.py CACHE_URL), and the
catalogue version that invalidates it and the search results cache (docs/performance.md#search).

Keyed by (language, full path), each entry holding the catalogue version it was made at:
the version and the page come in one cache round trip (`get_many`; with Redis each command
also builds a client object, ~1 ms of CPU), and an entry of an older version is a miss.
Never used for a visitor with a session or pending messages (their page can differ). An
anonymous search page holds nothing of its visitor (the language switch is a link to the
/fr/ or /en/ address); should a form ever add a CSRF token to it, the token is cut out before
storing and the visitor's own put back when serving, so no visitor receives another's.

The version is one counter bumped by any write that changes what a search
page shows: an offer, its photos, prices, ratings, or availability (receivers below)."""
import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

VERSION_KEY = "public:catalogue-version"
_CSRF_INPUT = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]*">')
_HOLE = "\x00csrf\x00"
# Anything still looking like a masked token (64 letters and digits) after the cut: not stored.
_TOKEN_LIKE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


def catalogue_version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, None)


def bump_catalogue_version() -> None:
    """At the write, not after the commit: an on_commit callback here would run before the
    writer's own (photo resizing, emails), whose tests and order it would change. A page
    rendered by another process during the few milliseconds before the commit keeps the
    old state for at most SEARCH_PAGE_CACHE_SECONDS; the booking step checks again anyway."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # evicted or never set
        cache.set(VERSION_KEY, 2, None)


def _cacheable(request: HttpRequest) -> bool:
    return (settings.SEARCH_PAGE_CACHE_SECONDS > 0 and request.method == "GET"
            and settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES)


def lookup(request: HttpRequest) -> tuple[tuple[str, int] | None, HttpResponse | None]:
    """(where to keep this page, the cached page if there is a current one)."""
    if not _cacheable(request):
        return None, None
    key = f"public:page:{get_language()}:{hashlib.sha256(request.get_full_path().encode()).hexdigest()}"
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY)
    if version is None:
        version = catalogue_version()
    entry = found.get(key)
    if entry is None or entry[0] != version:
        return (key, version), None
    return (key, version), _response(request, entry[1])


def _response(request: HttpRequest, html: str) -> HttpResponse:
    if _HOLE in html:
        token = get_token(request)  # the visitor's own (the CSRF middleware sets its cookie)
        html = html.replace(_HOLE, f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">')
    response = HttpResponse(html)
    response["X-Page-Cache"] = "hit"
    return response


def keep_page(place: tuple[str, int] | None, response: HttpResponse, request: HttpRequest) -> HttpResponse:
    if place and response.status_code == 200 and not response.cookies:
        html = response.content.decode()
        # A CSRF token only comes from get_token(), which flags the request: a page that asked
        # for none holds none, and skips the scan (~1 ms over a 30 KB page, issue 14).
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            html = _CSRF_INPUT.sub(_HOLE, html)
            if _TOKEN_LIKE.search(html):
                return response
        key, version = place
        cache.set(key, (version, html), settings.SEARCH_PAGE_CACHE_SECONDS)
        response["X-Page-Cache"] = "miss"
    return response


def _changed(sender, **kwargs) -> None:
    bump_catalogue_version()


def connect_signals() -> None:
    """Every model a search page or card reads from."""
    from bookings import occupancy
    from domains.models import Domain, DomainLabel, DomainPhoto
    from domains.offer_types import register_offer_type
    from domains.signals import content_changed
    from experiences.models import Experience, ExperiencePhoto, Session
    from lodgings.models import Lodging, LodgingPhoto, Unit
    from reviews.models import OfferRating

    for model in (Domain, DomainLabel, DomainPhoto, Lodging, LodgingPhoto, Unit, Experience, ExperiencePhoto,
                  Session, OfferRating):
        post_save.connect(_changed, sender=model, dispatch_uid=f"catalogue_version_save_{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"catalogue_version_delete_{model.__name__}")
    # Bookings, imported blocks and suspensions: only when the nights taken change (a payment
    # or a refund does not), including calendar sync's bulk writes.
    occupancy.occupied_changed.connect(_changed, dispatch_uid="catalogue_version_occupied")
    # The writes that send no model signal (the photo worker's sizes, the photo order, the
    # admin's "verify" action…) announce themselves for the offer pages' fragments: heard here too.
    content_changed.connect(_changed, dispatch_uid="catalogue_version_content_changed")
    # Moderation publishes and withdraws with a compare-and-set UPDATE (no signal): its listeners.
    for model in (Domain, Lodging, Experience):
        register_offer_type(model, listener=_status_changed)


def _status_changed(offer, now) -> None:
    bump_catalogue_version()
