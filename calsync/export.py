"""The unit's export feed (/ical/<token>.ics): our live bookings as all-day events.

Only Alma Heritage bookings are listed, never imported blocks: re-exporting them would let
two platforms keep each other's closures alive forever. No personal data: a fixed summary.
"""
import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db.models import Max
from icalendar import Calendar, Event, vDuration, vText

from bookings.models import LIVE_STATUSES, Booking
from lodgings.models import Unit

PRODID = "-//Alma Heritage//Calendrier des disponibilités//FR"
SUMMARY = "Réservé – Alma Heritage"
HISTORY_DAYS = 30  # stays that ended within this many days stay listed


@dataclass(frozen=True)
class ExportFeed:
    body: bytes
    etag: str
    last_modified: datetime | None


def stays_to_export(unit: Unit, today: date):
    return (Booking.objects.filter(unit=unit, status__in=LIVE_STATUSES, departure__gt=today - timedelta(days=HISTORY_DAYS))
            .order_by("arrival", "pk").only("reference", "arrival", "departure", "updated_at", "created_at"))


def last_change(unit: Unit) -> datetime | None:
    """Any change to the unit's stays (a cancellation removes an event) moves this forward."""
    return Booking.objects.filter(unit=unit).aggregate(latest=Max("updated_at"))["latest"]


def build_feed(*, unit: Unit, today: date, regenerated_at: datetime | None = None) -> ExportFeed:
    """Written with `icalendar`, which escapes text, folds lines at 75 octets (never inside a
    UTF-8 character) and ends them with CRLF, as RFC 5545 asks."""
    ttl = timedelta(minutes=settings.CALSYNC_INTERVAL_MINUTES)
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", vText(f"Alma Heritage – {unit}"))
    calendar.add("refresh-interval", ttl, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(ttl))
    for booking in stays_to_export(unit, today):
        event = Event()
        event.add("uid", f"{booking.reference}@almaheritage")
        event.add("dtstamp", (booking.updated_at or booking.created_at).astimezone(UTC))
        event.add("dtstart", booking.arrival)  # a date: VALUE=DATE, the arrival night
        event.add("dtend", booking.departure)  # exclusive: the departure day stays free
        event.add("summary", SUMMARY)
        event.add("transp", "OPAQUE")
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    body = calendar.to_ical()
    changed = [d for d in (last_change(unit), regenerated_at) if d is not None]
    return ExportFeed(body=body, etag=f'"{hashlib.sha256(body).hexdigest()[:32]}"',
                      last_modified=max(changed) if changed else None)
