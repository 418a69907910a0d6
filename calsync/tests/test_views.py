"""Owner pages: Configuration iCal, room picker, the domain's calendar; permissions; queries."""
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import ExternalBlock
from calsync import feeds
from calsync.models import DoubleBookingAlert, Feed, Platform
from lodgings.models import Lodging, Unit

from .conftest import ics

pytestmark = pytest.mark.django_db


def test_enregistrer_et_synchroniser_saves_and_fetches_at_once(owner_client, unit, httpserver, allow_loopback):
    httpserver.expect_request("/airbnb.ics").respond_with_data(
        ics(("20270105", "20270109", "a"), ("20270201", "20270203", "b")), content_type="text/calendar")
    url = reverse("calsync_unit_feeds", args=[unit.pk])

    response = owner_client.post(url, {"platform": "airbnb", "name": "", "url": httpserver.url_for("/airbnb.ics")},
                                 follow=True)

    feed = Feed.objects.get(unit=unit)
    assert feed.platform == Platform.AIRBNB and feed.last_success_at is not None
    page = response.content.decode()
    assert "2 événement(s) lu(s), 6 nuit(s) bloquée(s)" in page
    assert ExternalBlock.objects.filter(unit=unit).count() == 2


def test_a_failing_link_is_saved_and_its_error_shown(owner_client, unit, httpserver, allow_loopback):
    httpserver.expect_request("/down.ics").respond_with_data("nope", status=404)
    response = owner_client.post(reverse("calsync_unit_feeds", args=[unit.pk]),
                                 {"platform": "booking", "url": httpserver.url_for("/down.ics")}, follow=True)
    page = response.content.decode()
    assert "la synchronisation a échoué : Le serveur du calendrier a répondu par une erreur (HTTP 404)" in page
    assert Feed.objects.get(unit=unit).last_status == 404


def test_a_link_that_is_not_http_is_refused_next_to_the_field(owner_client, unit):
    response = owner_client.post(reverse("calsync_unit_feeds", args=[unit.pk]),
                                 {"platform": "other", "url": "file:///etc/passwd"})
    assert response.status_code == 200
    assert "https://" in response.context["form"].errors["url"][0]
    assert not Feed.objects.exists()


def test_our_own_export_link_cannot_be_imported(owner_client, unit):
    token = feeds.export_calendar(unit=unit).token
    response = owner_client.post(reverse("calsync_unit_feeds", args=[unit.pk]),
                                 {"platform": "other", "url": f"https://almaheritage.fr/ical/{token}.ics"})
    assert response.context["form"].errors["url"]


def test_deleting_a_feed_frees_its_nights(owner_client, unit):
    feed = Feed.objects.create(unit=unit, url="https://example.com/a.ics")
    ExternalBlock.objects.create(unit=unit, feed_id=feed.pk, start=date(2027, 1, 5), end=date(2027, 1, 9),
                                 source_name="Autre")
    owner_client.post(reverse("calsync_feed_delete", args=[unit.pk, feed.pk]))
    assert not Feed.objects.exists() and not ExternalBlock.objects.exists()


def test_the_page_shows_the_export_link_and_the_howtos(owner_client, unit):
    page = owner_client.get(reverse("calsync_unit_feeds", args=[unit.pk])).content.decode()
    token = feeds.export_calendar(unit=unit).token
    assert f"/ical/{token}.ics" in page
    for platform in ("Airbnb", "Booking.com", "Abritel", "Amenitiz", "KE booking"):
        assert platform in page
    assert "Enregistrer & Synchroniser" in page and "Régénérer le lien" in page


def test_chambres_d_hotes_have_a_room_picker(owner_client, rooms_lodging):
    page = owner_client.get(reverse("calsync_lodging_rooms", args=[rooms_lodging.pk])).content.decode()
    for room in rooms_lodging.units.all():
        assert reverse("calsync_unit_feeds", args=[room.pk]) in page


def test_domain_calendar_marks_internal_and_external_nights(owner_client, unit, book, domain):
    booking = book(unit, date(2027, 3, 3), date(2027, 3, 6))
    feed = Feed.objects.create(unit=unit, platform=Platform.BOOKING, url="https://example.com/a.ics")
    ExternalBlock.objects.create(unit=unit, feed_id=feed.pk, start=date(2027, 3, 20), end=date(2027, 3, 22),
                                 source_name="Booking.com", summary="CLOSED - Not available")

    response = owner_client.get(reverse("calsync_domain", args=[domain.pk]), {"mois": "2027-03"})

    page = response.content.decode()
    assert "mars 2027" in page.lower()
    assert "interne" in page and "externe" in page and "Booking.com" in page
    assert reverse("dashboard_booking", args=[booking.reference]) in page
    assert 'href="?mois=2027-02"' in page and 'href="?mois=2027-04"' in page
    month = response.context["units"][0]
    taken = {cell["day"]: cell for week in month.weeks for cell in week if cell}
    assert taken[date(2027, 3, 3)]["internal"] and not taken[date(2027, 3, 6)]["internal"]
    assert taken[date(2027, 3, 21)]["external"] and not taken[date(2027, 3, 22)]["external"]


def test_domain_calendar_shows_the_owners_suspensions(owner_client, unit, domain):
    from lodgings.models import Suspension

    Suspension.objects.create(lodging=unit.lodging, start=date(2027, 3, 10), end=date(2027, 3, 13), reason="Travaux")
    response = owner_client.get(reverse("calsync_domain", args=[domain.pk]), {"mois": "2027-03"})
    page = response.content.decode()
    assert "calsync-badge-suspended" in page and "Travaux" in page
    assert reverse("lodging_suspensions", args=[unit.lodging_id]) in page
    taken = {cell["day"]: cell for week in response.context["units"][0].weeks for cell in week if cell}
    assert taken[date(2027, 3, 12)]["suspended"] and not taken[date(2027, 3, 12)]["external"]
    assert not taken[date(2027, 3, 13)]["suspended"]


def _fill(domain, book, count: int):
    lodging = Lodging.objects.create(domain=domain, kind="chambres_hotes", title=f"Aile {count}",
                                     slug=f"aile-{count}")
    for n in range(count):
        unit = Unit.objects.create(lodging=lodging, name=f"Chambre {n}", nightly_price=Decimal("90.00"))
        book(unit, date(2027, 3, 1 + n), date(2027, 3, 2 + n))
        feed = Feed.objects.create(unit=unit, url=f"https://example.com/{count}-{n}.ics",
                                   last_success_at=timezone.now())
        ExternalBlock.objects.create(unit=unit, feed_id=feed.pk, start=date(2027, 3, 10), end=date(2027, 3, 12),
                                     source_name="Airbnb")
    return lodging


@pytest.mark.parametrize("rooms", [1, 6])
def test_domain_calendar_query_count_is_fixed(owner_client, domain, book, rooms, django_assert_max_num_queries):
    _fill(domain, book, rooms)
    with django_assert_max_num_queries(12):
        response = owner_client.get(reverse("calsync_domain", args=[domain.pk]), {"mois": "2027-03"})
    assert response.status_code == 200


@pytest.mark.parametrize("rooms", [1, 6])
def test_room_picker_and_unit_page_query_counts_are_fixed(owner_client, domain, book, rooms,
                                                          django_assert_max_num_queries):
    lodging = _fill(domain, book, rooms)
    with django_assert_max_num_queries(10):
        assert owner_client.get(reverse("calsync_lodging_rooms", args=[lodging.pk])).status_code == 200
    unit = lodging.units.first()
    for n in range(rooms):
        Feed.objects.create(unit=unit, url=f"https://example.com/more-{n}.ics")
    with django_assert_max_num_queries(12):
        assert owner_client.get(reverse("calsync_unit_feeds", args=[unit.pk])).status_code == 200


def test_another_owner_gets_404_on_every_calsync_page(client, other_owner, unit, rooms_lodging, domain, book, now):
    feed = Feed.objects.create(unit=unit, url="https://example.com/a.ics")
    booking = book(unit, date(2027, 3, 3), date(2027, 3, 6))
    alert = DoubleBookingAlert.objects.create(unit=unit, booking=booking, feed=feed, source_name="x",
                                              block_start=date(2027, 3, 3), block_end=date(2027, 3, 4),
                                              detected_at=now)
    client.force_login(other_owner)
    pages = [("get", reverse("calsync_unit_feeds", args=[unit.pk])),
             ("post", reverse("calsync_unit_feeds", args=[unit.pk])),
             ("post", reverse("calsync_feed_sync", args=[unit.pk, feed.pk])),
             ("post", reverse("calsync_feed_delete", args=[unit.pk, feed.pk])),
             ("post", reverse("calsync_regenerate", args=[unit.pk])),
             ("get", reverse("calsync_lodging_rooms", args=[rooms_lodging.pk])),
             ("get", reverse("calsync_domain", args=[domain.pk])),
             ("post", reverse("calsync_alert_resolve", args=[alert.pk]))]
    for method, url in pages:
        assert getattr(client, method)(url).status_code == 404, url
    assert Feed.objects.filter(pk=feed.pk).exists()
    alert.refresh_from_db()
    assert alert.resolved_at is None


def test_anonymous_visitors_are_sent_to_login(client, unit):
    url = reverse("calsync_unit_feeds", args=[unit.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"
    assert not Feed.objects.exists()


def test_the_banner_shows_on_every_dashboard_page(owner_client, unit, book, now):
    booking = book(unit, date(2027, 3, 3), date(2027, 3, 6))
    feed = Feed.objects.create(unit=unit, url="https://example.com/a.ics", name="Gîtes de France")
    DoubleBookingAlert.objects.create(unit=unit, booking=booking, feed=feed, source_name="Gîtes de France",
                                      block_start=date(2027, 3, 3), block_end=date(2027, 3, 4), detected_at=now)
    page = owner_client.get(reverse("dashboard")).content.decode()
    assert "calsync-alert-banner" in page and booking.reference in page and "Gîtes de France" in page
    assert f'href="{reverse("dashboard_booking", args=[booking.reference])}"' in page
    assert f'href="{reverse("page_detail", args=["contrat-proprietaire"])}"' in page
