"""The unit's export feed (/ical/<token>.ics): our live bookings as all-day events.

Only Alma Heritage bookings are listed, never imported blocks: re-exporting them would let
two platforms keep each other's closures alive forever. No personal data: a fixed summary.
"""
import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db.models import Max

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


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """RFC 5545 §3.1: lines of at most 75 octets, continued with a leading space."""
    raw, parts, limit = line.encode(), [], 75
    while len(raw) > limit:
        cut = limit
        while cut > 0 and (raw[cut] & 0xC0) == 0x80:  # never split a UTF-8 character
            cut -= 1
        parts.append(raw[:cut].decode())
        raw, limit = raw[cut:], 74
    parts.append(raw.decode())
    return [parts[0], *(" " + p for p in parts[1:])]


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _day(value: date) -> str:
    return value.strftime("%Y%m%d")


def stays_to_export(unit: Unit, today: date):
    return (Booking.objects.filter(unit=unit, status__in=LIVE_STATUSES, departure__gt=today - timedelta(days=HISTORY_DAYS))
            .order_by("arrival", "pk").only("reference", "arrival", "departure", "updated_at", "created_at"))


def last_change(unit: Unit) -> datetime | None:
    """Any change to the unit's stays (a cancellation removes an event) moves this forward."""
    return Booking.objects.filter(unit=unit).aggregate(latest=Max("updated_at"))["latest"]


def build_feed(*, unit: Unit, today: date, regenerated_at: datetime | None = None) -> ExportFeed:
    ttl = settings.CALSYNC_INTERVAL_MINUTES
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{_escape(f'Alma Heritage – {unit}')}", f"REFRESH-INTERVAL;VALUE=DURATION:PT{ttl}M",
             f"X-PUBLISHED-TTL:PT{ttl}M"]
    for booking in stays_to_export(unit, today):
        lines += ["BEGIN:VEVENT", f"UID:{booking.reference}@almaheritage",
                  f"DTSTAMP:{_stamp(booking.updated_at or booking.created_at)}",
                  f"DTSTART;VALUE=DATE:{_day(booking.arrival)}", f"DTEND;VALUE=DATE:{_day(booking.departure)}",
                  f"SUMMARY:{_escape(SUMMARY)}", "TRANSP:OPAQUE", "STATUS:CONFIRMED", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    body = "".join(part + "\r\n" for line in lines for part in _fold(line)).encode()
    changed = [d for d in (last_change(unit), regenerated_at) if d is not None]
    return ExportFeed(body=body, etag=f'"{hashlib.sha256(body).hexdigest()[:32]}"',
                      last_modified=max(changed) if changed else None)
