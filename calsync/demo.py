"""Demo data: export links, one import feed per demo unit with a few imported nights, one
double booking.

The demo's feeds never name a real platform: they point at `make run`'s demo feed server
(devtools/demo_feeds.py, on settings.CALSYNC_DEMO_FEEDS_URL), which publishes, in the
platform's own format, what the demo says that platform holds: the blocks seeded here.
So the 50-minute sync and "Enregistrer & Synchroniser" really fetch and parse a feed and
find the demo as it was seeded (a 304 once the ETag is known).
"""
import hashlib
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.utils import timezone

from bookings.availability import unit_is_free
from bookings.models import Booking, BookingStatus, ExternalBlock
from core.dates import today_in_paris
from lodgings.models import Unit

from . import feeds
from .models import DoubleBookingAlert, Feed, Platform

# Where earlier demo databases pointed their feeds; moved to the demo feed server on seeding.
LEGACY_URL = "https://www.airbnb.fr/calendar/ical/40000000.ics?s=demo{unit}"
# Alternating formats, so the demo shows two platforms' feeds.
PLATFORMS = (Platform.AIRBNB, Platform.BOOKING)
FORMATS = {
    Platform.AIRBNB: {"prodid": "-//Airbnb Inc//Hosting Calendar 1.0//EN", "summary": "Reserved",
                      "uid": "1418fb94e984-demo{unit}-{start:%Y%m%d}@airbnb.com"},
    Platform.BOOKING: {"prodid": "-//admin.booking.com\\\\\\, b.v.//NONSGML v1.0//EN",
                       "summary": "CLOSED - Not available", "uid": "demo{unit}{start:%Y%m%d}@booking.com"},
}


def feed_path(unit_id: int) -> str:
    return f"unit-{unit_id}.ics"


def feed_url(unit_id: int) -> str:
    return f"{settings.CALSYNC_DEMO_FEEDS_URL}/{feed_path(unit_id)}"


def seed(*, stdout) -> None:
    now = timezone.now()
    today = today_in_paris(now)
    units = list(Unit.objects.filter(is_active=True).select_related("lodging__domain").order_by("pk")[:4])
    for index, unit in enumerate(units):
        feeds.export_calendar(unit=unit)
        feed, created = _demo_feed(unit, platform=PLATFORMS[index % len(PLATFORMS)], now=now)
        if not created:
            continue
        start = today + timedelta(days=21 + unit.pk % 7)
        if unit_is_free(unit, start, start + timedelta(days=3)):
            _block(feed, start=start, end=start + timedelta(days=3))
            Feed.objects.filter(pk=feed.pk).update(last_nights_blocked=3)
    _one_double_booking(now)
    stdout.write(f"calsync: {len(units)} units with an export link and a feed from the demo feed server "
                 f"({settings.CALSYNC_DEMO_FEEDS_URL}/)")


def _demo_feed(unit: Unit, *, platform: str, now: datetime) -> tuple[Feed, bool]:
    """The unit's demo feed, moved to the current demo feed server address (its port
    follows DEMO_FEEDS_PORT) or created."""
    url = feed_url(unit.pk)
    feed = (Feed.objects.filter(unit=unit, url__endswith=f"/demo-feeds/{feed_path(unit.pk)}").first()
            or Feed.objects.filter(unit=unit, url=LEGACY_URL.format(unit=unit.pk)).first())
    if feed is not None:
        if feed.url != url:
            Feed.objects.filter(pk=feed.pk).update(url=url, etag="", last_modified="")
        return feed, False
    feed = Feed.objects.create(unit=unit, url=url, platform=platform, last_success_at=now, last_attempt_at=now,
                               last_status=200, last_events_read=1, next_run_at=now + timedelta(minutes=50))
    return feed, True


def _block(feed: Feed, *, start: date, end: date) -> ExternalBlock:
    style = FORMATS.get(feed.platform, FORMATS[Platform.AIRBNB])
    return ExternalBlock.objects.create(unit_id=feed.unit_id, feed_id=feed.pk, source_name=feed.display_name,
                                        start=start, end=end, summary=style["summary"],
                                        uid=style["uid"].format(unit=feed.unit_id, start=start))


def _one_double_booking(now) -> None:
    """A stay also sold on the other platform, so the dashboard banner has something to show.
    The imported block starts the night before our arrival: a block with exactly our dates
    could be the platform echoing our own export back, which the sync ignores."""
    if DoubleBookingAlert.objects.exists():
        return
    booking = (Booking.objects.filter(status=BookingStatus.CONFIRMED, unit__calendar_feeds__isnull=False,
                                      departure__gt=today_in_paris(now)).order_by("arrival").first())
    if booking is None:
        return
    feed = Feed.objects.filter(unit=booking.unit).first()
    block = _block(feed, start=booking.arrival - timedelta(days=1), end=booking.departure)
    # Detected as the sync would, without emailing anyone.
    DoubleBookingAlert.objects.create(unit=booking.unit, booking=booking, feed=feed, source_name=feed.display_name,
                                      block_start=block.start, block_end=block.end, block_summary=block.summary,
                                      detected_at=now, notified_at=now)


# --- What the demo feed server publishes --------------------------------------------------

def demo_calendar(*, unit_id: int, now: datetime) -> tuple[bytes, str] | None:
    """The unit's demo feed as the platform would publish it, and a weak ETag of its events
    (DTSTAMP is the fetch time, as on Airbnb, so the bytes change but not the events).
    None when the unit has no demo feed."""
    feed = Feed.objects.filter(unit_id=unit_id, url__endswith=f"/demo-feeds/{feed_path(unit_id)}").first()
    if feed is None:
        return None
    style = FORMATS.get(feed.platform, FORMATS[Platform.AIRBNB])
    events = []
    for block in ExternalBlock.objects.filter(feed_id=feed.pk).order_by("start", "end"):
        events += ["BEGIN:VEVENT", f"DTSTAMP:{now.astimezone(UTC):%Y%m%dT%H%M%SZ}",
                   f"DTSTART;VALUE=DATE:{block.start:%Y%m%d}", f"DTEND;VALUE=DATE:{block.end:%Y%m%d}",
                   f"UID:{block.uid}", f"SUMMARY:{block.summary}", "END:VEVENT"]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{style['prodid']}", "CALSCALE:GREGORIAN", *events,
             "END:VCALENDAR"]
    body = ("\r\n".join(lines) + "\r\n").encode()
    identity = "\n".join(line for line in lines if not line.startswith("DTSTAMP:"))
    return body, f'W/"{hashlib.sha256(identity.encode()).hexdigest()[:20]}"'
