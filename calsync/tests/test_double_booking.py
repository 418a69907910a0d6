"""Booking vs import race: never a confirmed booking and a silent overlap without an alert."""
import threading
import time
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from werkzeug import Response

from bookings import services as booking_services
from bookings.models import BookingStatus, ExternalBlock
from bookings.signals import booking_confirmed
from calsync import precheck, sync
from calsync.models import DoubleBookingAlert, Feed, Platform

from .conftest import NOW, ics

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed(unit, httpserver, allow_loopback):
    return Feed.objects.create(unit=unit, platform=Platform.BOOKING, url=httpserver.url_for("/feed.ics"))


def serve(httpserver, body: bytes):
    httpserver.clear()
    httpserver.expect_request("/feed.ics").respond_with_data(body, content_type="text/calendar")


def test_block_landing_on_a_confirmed_booking_alerts_owner_and_staff_once(
        feed, unit, book, httpserver, mailoutbox, django_capture_on_commit_callbacks, owner, settings):
    booking = book(unit, date(2026, 12, 20), date(2026, 12, 24))
    serve(httpserver, ics(("20261222", "20261226", "x@booking.com", "CLOSED - Not available")))

    with django_capture_on_commit_callbacks(execute=True):
        outcome = sync.sync_feed(feed=feed, now=NOW)
        sync.sync_feed(feed=feed, now=NOW + timedelta(minutes=50))  # same overlap again
        sync.sync_feed(feed=feed, now=NOW + timedelta(minutes=100))

    assert outcome.new_alerts == 1
    alert = DoubleBookingAlert.objects.get()
    assert (alert.booking, alert.feed, alert.block_start, alert.block_end) == (
        booking, feed, date(2026, 12, 22), date(2026, 12, 26))
    assert alert.notified_at is not None
    assert sorted(m.to[0] for m in mailoutbox) == sorted([owner.email, settings.STAFF_INBOX_BOOKINGS])
    assert all(booking.reference in m.subject for m in mailoutbox)
    assert "alternative de qualité égale ou supérieure" in mailoutbox[0].body
    contract = settings.SITE_URL + reverse("page_detail", args=["contrat-proprietaire"])
    assert all(f"contrat propriétaire : {contract}" in m.body for m in mailoutbox)


def test_the_alert_shows_on_the_dashboard_with_what_to_do(feed, unit, book, httpserver, owner_client):
    booking = book(unit, date(2026, 12, 20), date(2026, 12, 24))
    serve(httpserver, ics(("20261220", "20261224", "r@airbnb.com", "Reserved")))
    sync.sync_feed(feed=feed, now=NOW)

    page = owner_client.get(reverse("calsync_domain", args=[unit.lodging.domain_id])).content.decode()

    assert "Double réservation" in page and booking.reference in page
    assert "remboursement avec indemnisation" in page


def test_owner_marks_the_alert_handled_and_the_banner_goes(feed, unit, book, httpserver, owner_client):
    book(unit, date(2026, 12, 20), date(2026, 12, 24))
    serve(httpserver, ics(("20261220", "20261224", "r@airbnb.com", "Reserved")))
    sync.sync_feed(feed=feed, now=NOW)
    alert = DoubleBookingAlert.objects.get()

    owner_client.post(reverse("calsync_alert_resolve", args=[alert.pk]), {"next": "/fr/tableau-de-bord/"})

    alert.refresh_from_db()
    assert alert.resolved_at is not None
    page = owner_client.get(reverse("calsync_domain", args=[unit.lodging.domain_id])).content.decode()
    assert "calsync-alert-banner" not in page


def test_alert_resolves_itself_when_the_other_platform_cancels(feed, unit, book, httpserver):
    book(unit, date(2026, 12, 20), date(2026, 12, 24))
    serve(httpserver, ics(("20261222", "20261226", "x", "Reserved"), ("20270301", "20270302", "y")))
    sync.sync_feed(feed=feed, now=NOW)
    serve(httpserver, ics(("20270301", "20270302", "y")))

    sync.sync_feed(feed=feed, now=NOW + timedelta(hours=1))

    assert DoubleBookingAlert.objects.get().resolved_at is not None


def test_block_imported_before_payment_makes_the_payment_path_refuse(feed, unit, book, httpserver):
    booking = book(unit, date(2026, 12, 20), date(2026, 12, 24), status=BookingStatus.AWAITING_PAYMENT,
                   pay_by=NOW + timedelta(hours=48))
    # Sold on Airbnb a minute ago: the pre-payment re-check fetches the feed and sees it.
    serve(httpserver, ics(("20261221", "20261223", "hm@airbnb.com", "Reserved")))

    with pytest.raises(booking_services.DatesUnavailable):
        booking_services.assert_payable(booking=booking, now=NOW)

    assert ExternalBlock.objects.filter(unit=unit).exists()
    assert not DoubleBookingAlert.objects.exists()  # nothing confirmed, nothing double-booked


def test_precheck_is_bounded_and_a_slow_feed_keeps_its_last_good_blocks(feed, unit, httpserver, settings):
    serve(httpserver, ics(("20261221", "20261223", "hm", "Reserved")))
    sync.sync_feed(feed=feed, now=NOW)
    release = threading.Event()
    httpserver.clear()
    httpserver.expect_request("/feed.ics").respond_with_handler(
        lambda request: release.wait(5) and Response(ics(), content_type="text/calendar"))
    settings.CALSYNC_PRECHECK_TIMEOUT = 0.5

    started = time.monotonic()
    outcomes = precheck.precheck_unit(unit=unit, now=NOW + timedelta(minutes=5))
    elapsed = time.monotonic() - started
    release.set()

    assert elapsed < 1.5 and outcomes == []
    assert ExternalBlock.objects.filter(unit=unit).count() == 1  # still counts for availability
    feed.refresh_from_db()
    assert feed.sync_started_at is None and feed.consecutive_failures == 0


def test_our_own_booking_echoed_back_as_a_closure_is_not_a_double_booking(feed, unit, book, httpserver):
    book(unit, date(2026, 12, 20), date(2026, 12, 24))
    # Airbnb imported our export and publishes our stay back as "Not available".
    serve(httpserver, ics(("20261220", "20261224", "7f662ec65913-x@airbnb.com", "Airbnb (Not available)"),
                          ("20270110", "20270112", "7f662ec65913-y@airbnb.com", "Airbnb (Not available)")))

    outcome = sync.sync_feed(feed=feed, now=NOW)

    assert not DoubleBookingAlert.objects.exists()
    assert list(ExternalBlock.objects.values_list("start", flat=True)) == [date(2027, 1, 10)]
    assert any("Alma Heritage" in w for w in outcome.warnings)


def test_a_reservation_on_exactly_our_dates_is_still_alerted(feed, unit, book, httpserver):
    book(unit, date(2026, 12, 20), date(2026, 12, 24))
    serve(httpserver, ics(("20261220", "20261224", "1418fb94e984-z@airbnb.com", "Reserved")))

    sync.sync_feed(feed=feed, now=NOW)

    assert DoubleBookingAlert.objects.count() == 1


def test_precheck_runs_when_the_owner_accepts_a_request(feed, unit, book, httpserver, owner):
    booking = book(unit, date(2026, 12, 20), date(2026, 12, 24), status=BookingStatus.REQUESTED,
                   respond_by=NOW + timedelta(days=3))
    serve(httpserver, ics(("20261222", "20261223", "late@booking.com", "CLOSED - Not available")))

    with pytest.raises(booking_services.DatesUnavailable):
        booking_services.accept(booking=booking, by=owner, now=NOW)

    assert len(httpserver.log) == 1


def test_no_feed_is_fetched_once_the_money_has_moved(feed, unit, book, httpserver):
    booking = book(unit, date(2026, 12, 20), date(2026, 12, 24), status=BookingStatus.AWAITING_PAYMENT,
                   pay_by=NOW + timedelta(hours=48))
    serve(httpserver, ics(("20261221", "20261223", "hm@airbnb.com", "Reserved")))

    assert booking_services.confirm_payment(booking=booking, amount_paid=Decimal("400.00"), now=NOW)

    assert len(httpserver.log) == 0  # a block found now would mean refunding a successful charge
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_a_payment_confirmed_while_a_block_was_written_is_alerted_at_confirmation(
        feed, unit, book, mailoutbox, django_capture_on_commit_callbacks):
    # The race: the sync's transaction wrote the block but could not see the payment,
    # and the payment's availability check could not see the block. Both committed.
    booking = book(unit, date(2026, 12, 20), date(2026, 12, 24))
    ExternalBlock.objects.create(unit=unit, feed_id=feed.pk, source_name="Booking.com", start=date(2026, 12, 21),
                                 end=date(2026, 12, 23), summary="CLOSED - Not available")

    with django_capture_on_commit_callbacks(execute=True):
        booking_confirmed.send(sender=type(booking), booking=booking)

    assert DoubleBookingAlert.objects.filter(booking=booking).count() == 1
    assert len(mailoutbox) == 2


def test_the_next_sync_catches_the_race_even_when_the_feed_did_not_change(feed, unit, book, httpserver):
    body = ics(("20261221", "20261223", "x@booking.com", "CLOSED - Not available"))
    httpserver.clear()
    httpserver.expect_request("/feed.ics").respond_with_handler(
        lambda request: Response(status=304) if request.headers.get("If-None-Match") == '"v1"'
        else Response(body, headers={"ETag": '"v1"'}, content_type="text/calendar"))
    sync.sync_feed(feed=feed, now=NOW)
    book(unit, date(2026, 12, 20), date(2026, 12, 24))  # confirmed past the check (the race)

    outcome = sync.sync_feed(feed=feed, now=NOW + timedelta(minutes=50))

    assert outcome.not_modified and outcome.new_alerts == 1


def test_precheck_skips_a_feed_read_less_than_a_minute_ago(feed, unit, httpserver):
    serve(httpserver, ics(("20261221", "20261223", "hm", "Reserved")))
    sync.sync_feed(feed=feed, now=NOW)

    assert precheck.precheck_unit(unit=unit, now=NOW + timedelta(seconds=30)) == []
    assert len(httpserver.log) == 1
    assert len(precheck.precheck_unit(unit=unit, now=NOW + timedelta(minutes=2))) == 1
