"""The whole-page search cache (public/pagecache.py): an anonymous repeated search is served
without a query, never with another visitor's token, and any booking, price or photo
change shows at once (the catalogue version is bumped by the write)."""
import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from bookings.models import BookingStatus
from lodgings.models import LodgingPhoto

from .factories import listed_unit, stay

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
D = date.fromisoformat
PARAMS = {"region": "centre-val-de-loire", "arrival": "2027-05-03", "departure": "2027-05-05", "guests": "2"}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.SEARCH_PAGE_CACHE_SECONDS = 30


def get(client, **params):
    return client.get(reverse("search"), {**PARAMS, **params})


def test_a_repeated_anonymous_search_is_served_whole_without_a_query(client, owner, django_assert_num_queries):
    unit = listed_unit(owner, price="135")
    first = get(client)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        again = get(client)
    assert again["X-Page-Cache"] == "hit"
    assert unit.lodging.title in again.content.decode()
    assert TOKEN.sub("", again.content.decode()) == TOKEN.sub("", first.content.decode())


def test_a_cached_page_carries_nothing_of_the_visitor_who_made_it(client, owner):
    listed_unit(owner)
    first = get(client)  # cached by a first visitor
    page = get(Client(enforce_csrf_checks=True))
    assert page["X-Page-Cache"] == "hit"
    # No per-visitor token or cookie: the language switch is a link (/fr/ ↔ /en/).
    assert not TOKEN.search(page.content.decode()) and not page.cookies
    assert page.content == first.content


def test_a_booking_price_or_photo_change_shows_at_once(client, owner, traveller):
    unit = listed_unit(owner, price="135")
    assert unit.lodging.title in get(client).content.decode()

    unit.nightly_price = 99
    unit.save()
    page = get(client)
    assert page["X-Page-Cache"] == "miss" and "99" in page.content.decode()

    LodgingPhoto.objects.create(lodging=unit.lodging, full="photos/x.jpg", card="photos/x-card.jpg",
                                thumb="photos/x-thumb.jpg")
    page = get(client)
    assert page["X-Page-Cache"] == "miss" and "x-card.jpg" in page.content.decode()

    stay(unit, traveller, D("2027-05-02"), D("2027-05-04"), status=BookingStatus.CONFIRMED)
    page = get(client)
    assert page["X-Page-Cache"] == "miss" and unit.lodging.title not in page.content.decode()


def test_an_offer_approved_by_moderation_shows_at_once(client, owner, staff, frozen_now):
    from domains.moderation import approve_offer

    unit = listed_unit(owner, status="submitted")
    assert unit.lodging.title not in get(client).content.decode()
    approve_offer(offer=unit.lodging, by=staff, now=frozen_now)  # a compare-and-set UPDATE: no signal
    page = get(client)
    assert page["X-Page-Cache"] == "miss" and unit.lodging.title in page.content.decode()


def test_signed_in_visitors_and_pending_messages_are_never_cached(client, owner, traveller):
    listed_unit(owner)
    client.force_login(traveller)
    assert "X-Page-Cache" not in get(client)
    assert "X-Page-Cache" not in get(client)
    client.logout()
    client.cookies["messages"] = "something"
    assert "X-Page-Cache" not in get(client)


def test_the_page_cache_is_keyed_by_language(client, owner):
    listed_unit(owner)
    french = get(client)
    with translation.override("en"):
        english = get(client)  # the /en/ address
    assert english["X-Page-Cache"] == "miss"
    assert french.content != english.content


def test_cached_cards_hold_plain_strings_not_lazy_translations(owner, frozen_now):
    """Pickling lazy translation objects cost 2.1 ms a cached page (issue 14)."""
    from django.utils.functional import Promise

    from public.search import SearchQuery, search

    listed_unit(owner)
    rows = search(SearchQuery(region="centre-val-de-loire"), now=frozen_now).rows
    assert rows
    for row in rows:
        for value in [*row.values(), *row["domain"].values()]:
            assert not isinstance(value, Promise), value


def test_a_page_that_asked_for_a_csrf_token_or_a_nonce_is_not_kept(rf):
    """The search page asks for no CSRF token and no CSP nonce today; should a form or an
    inline script come back to it, the page is served fresh to each visitor rather than
    handing one visitor's token or nonce to the next."""
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    from public import pagecache

    def page(body_of, path):
        request = rf.get(path)
        place, cached = pagecache.lookup(request)
        assert place is not None and cached is None
        return pagecache.keep_page(place, HttpResponse(body_of(request)), request)

    def form(request):
        return f'<form><input type="hidden" name="csrfmiddlewaretoken" value="{get_token(request)}"></form>'

    def script(request):
        request._csp_nonce = "n0nce"  # what django-csp's request.csp_nonce sets when a template reads it
        return '<script nonce="n0nce"></script>'

    def plain(request):
        return "<p>" + "x" * 64 + "</p>"

    for number, body_of in enumerate((form, script), start=1):
        response = page(body_of, f"/fr/recherche/?a={number}")
        assert not response.has_header("X-Page-Cache")
        assert pagecache.lookup(rf.get(f"/fr/recherche/?a={number}"))[1] is None
    assert page(plain, "/fr/recherche/?a=3")["X-Page-Cache"] == "miss"
    assert pagecache.lookup(rf.get("/fr/recherche/?a=3"))[1].content == b"<p>" + b"x" * 64 + b"</p>"


def test_a_hit_is_the_same_response_as_the_miss_that_made_it(client, owner):
    """Served before the inner middleware, a hit still carries their headers (kept with the
    page) and the outer ones' (security headers, the policy, the request id)."""
    listed_unit(owner)
    first = get(client)
    again = get(client)
    assert (first["X-Page-Cache"], again["X-Page-Cache"]) == ("miss", "hit")
    for header in ("Content-Type", "Content-Language", "X-Frame-Options", "Vary",
                   "Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"):
        assert again.has_header(header), header
        assert again[header] == first[header], header
    assert again["X-Request-ID"] and again["X-Request-ID"] != first["X-Request-ID"]


def test_only_the_search_page_is_kept_whole(client, owner):
    unit = listed_unit(owner)
    for path in (reverse("home"), reverse("lodging_detail", args=[unit.lodging.slug])):
        assert client.get(path).status_code == 200
        assert client.get(path).get("X-Page-Cache") is None, path


def test_a_forged_host_is_refused_even_for_a_cached_page(client, owner, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    listed_unit(owner)
    assert get(client)["X-Page-Cache"] == "miss" and get(client)["X-Page-Cache"] == "hit"
    response = client.get(reverse("search"), PARAMS, headers={"host": "evil.example"})
    assert response.status_code == 400


def test_a_write_without_a_model_signal_shows_at_once(client, owner):
    """The photo worker's sizes, the photo order, the admin's "verify" action: queryset
    updates that announce themselves with content_changed, as for the offer pages."""
    from domains.models import Domain
    from domains.signals import content_changed

    unit = listed_unit(owner)
    assert get(client)["X-Page-Cache"] == "miss" and get(client)["X-Page-Cache"] == "hit"

    content_changed.send(sender=Domain, domain_id=unit.lodging.domain_id)

    assert get(client)["X-Page-Cache"] == "miss"
