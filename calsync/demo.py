"""Demo data: export links, an Airbnb feed with a few imported nights, one double booking."""
from datetime import timedelta

from django.utils import timezone

from bookings.availability import unit_is_free
from bookings.models import Booking, BookingStatus, ExternalBlock
from core.dates import today_in_paris
from lodgings.models import Unit

from . import feeds
from .models import DoubleBookingAlert, Feed, Platform

DEMO_URL = "https://www.airbnb.fr/calendar/ical/40000000.ics?s=demo{unit}"


def seed(*, stdout) -> None:
    now = timezone.now()
    today = today_in_paris(now)
    units = list(Unit.objects.filter(is_active=True).select_related("lodging__domain").order_by("pk")[:4])
    for unit in units:
        feeds.export_calendar(unit=unit)
        feed, created = Feed.objects.get_or_create(
            unit=unit, url=DEMO_URL.format(unit=unit.pk),
            defaults={"platform": Platform.AIRBNB, "last_success_at": now, "last_attempt_at": now,
                      "last_status": 200, "last_events_read": 1, "next_run_at": now + timedelta(minutes=50)})
        if not created:
            continue
        start = today + timedelta(days=21 + unit.pk % 7)
        if unit_is_free(unit, start, start + timedelta(days=3)):
            ExternalBlock.objects.create(unit=unit, feed_id=feed.pk, source_name=feed.display_name,
                                         start=start, end=start + timedelta(days=3), summary="Reserved",
                                         uid=f"1418fb94e984-demo{unit.pk}@airbnb.com")
            Feed.objects.filter(pk=feed.pk).update(last_nights_blocked=3)
    _one_double_booking(now)
    stdout.write(f"calsync: {len(units)} units with an export link and an Airbnb feed")


def _one_double_booking(now) -> None:
    """A stay also sold on Airbnb, so the dashboard banner has something to show."""
    if DoubleBookingAlert.objects.exists():
        return
    booking = (Booking.objects.filter(status=BookingStatus.CONFIRMED, unit__calendar_feeds__isnull=False,
                                      departure__gt=today_in_paris(now)).order_by("arrival").first())
    if booking is None:
        return
    feed = Feed.objects.filter(unit=booking.unit).first()
    ExternalBlock.objects.create(unit=booking.unit, feed_id=feed.pk, source_name=feed.display_name,
                                 start=booking.arrival, end=booking.departure, summary="Reserved",
                                 uid="1418fb94e984-demo-double@airbnb.com")
    # Detected as the sync would, without emailing anyone.
    DoubleBookingAlert.objects.create(unit=booking.unit, booking=booking, feed=feed, source_name=feed.display_name,
                                      block_start=booking.arrival, block_end=booking.departure, block_summary="Reserved",
                                      detected_at=now, notified_at=now)
