"""A short whole-page cache for anonymous visitors' repeated searches, shared by every
process (the Django cache: Redis in production, settings/production.py CACHE_URL), and the
catalogue version that invalidates it and the search results cache (docs/performance.md#search).

Keyed by (language, full path), each entry holding the catalogue version it was made at:
the version and the page come in one cache round trip (`get_many`; with Redis each command
also builds a client object, ~1 ms of CPU), and an entry of an older version is a miss.
Never used for a visitor with a session or pending messages (their page can differ), nor
for a page that asked for a per-visitor value (a CSRF token, a CSP nonce): an anonymous search
page holds nothing of its visitor (the language switch is a link to the /fr/ or /en/ address).

Served by PageCacheMiddleware, placed before the session, locale, CSRF, auth and messages
middleware (settings MIDDLEWARE): a hit costs one cache round trip and the outer middleware's
headers, less than a minimal template view (issue 14). It keeps the headers the inner
middleware gave the page (X-Frame-Options, Content-Language, Vary), so a hit is the same
response as the miss that made it.

The version is one counter bumped by any write that changes what a search
page shows: an offer, its photos, prices, ratings, or availability (receivers below)."""
import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation

VERSION_KEY = "public:catalogue-version"
# The pages kept whole, by URL name: their address in every language (the prefix says which).
WHOLE_PAGES = ("search",)


def catalogue_version(request: HttpRequest | None = None) -> int:
    """The current version; the one the page cache read for this request when it did (one
    Redis command less for the search page, ~0.1 ms of CPU)."""
    known = getattr(request, "catalogue_version", None)
    return known if known is not None else cache.get_or_set(VERSION_KEY, 1, None)


def bump_catalogue_version() -> None:
    """At the write, not after the commit: an on_commit callback here would run before the
    writer's own (photo resizing, emails), whose tests and order it would change. A page
    rendered by another process during the few milliseconds before the commit keeps the
    old state for at most SEARCH_PAGE_CACHE_SECONDS; the booking step checks again anyway."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # evicted or never set
        cache.set(VERSION_KEY, 2, None)


@functools.cache
def _whole_page_paths() -> frozenset[str]:
    paths = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            paths.update(reverse(name) for name in WHOLE_PAGES)
    return frozenset(paths)


def _cacheable(request: HttpRequest) -> bool:
    return (settings.SEARCH_PAGE_CACHE_SECONDS > 0 and request.method == "GET"
            and request.path_info in _whole_page_paths()
            and settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES)


def _key(request: HttpRequest) -> str:
    # The full path holds the language prefix: one entry a language.
    return f"public:page:{hashlib.sha256(request.get_full_path().encode()).hexdigest()}"


def lookup(request: HttpRequest) -> tuple[tuple[str, int] | None, HttpResponse | None]:
    """(where to keep this page, the cached page if there is a current one)."""
    if not _cacheable(request):
        return None, None
    request.get_host()  # a forged Host header is refused here as CommonMiddleware would (400)
    key = _key(request)
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY)
    if version is None:
        version = catalogue_version()
    entry = found.get(key)
    if entry is None or entry[0] != version:
        return (key, version), None
    _version, content, headers = entry
    response = HttpResponse(content, headers=headers)
    response["X-Page-Cache"] = "hit"
    return (key, version), response


def keep_page(place: tuple[str, int] | None, response: HttpResponse, request: HttpRequest) -> HttpResponse:
    if (place and response.status_code == 200 and not response.streaming and not response.cookies
            # A CSRF token only comes from get_token(), which flags the request; a nonce is set
            # on the request when a template asks for one: either would be another visitor's.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE") and not getattr(request, "_csp_nonce", None)):
        key, version = place
        cache.set(key, (version, response.content, dict(response.headers)), settings.SEARCH_PAGE_CACHE_SECONDS)
        response["X-Page-Cache"] = "miss"
    return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        place, cached = lookup(request)
        if cached is not None:
            return cached
        if place:
            request.catalogue_version = place[1]
        response = self.get_response(request)
        return keep_page(place, response, request) if place else response


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
