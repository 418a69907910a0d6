"""Double bookings: an imported block on the nights of a confirmed booking
is alerted once to the owner and to staff, and the alert resolves when the overlap goes."""
from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from bookings.models import Booking, BookingStatus, ExternalBlock
from core.dates import today_in_paris
from lodgings.models import Unit

from . import emails
from .models import DoubleBookingAlert

log = logging.getLogger(__name__)


def detect_double_bookings(*, unit: Unit, now: datetime) -> list[DoubleBookingAlert]:
    """An imported block on the nights of a confirmed booking: one alert (and one email to
    the owner and to staff) per booking, feed and block dates; overlaps gone are resolved."""
    today = today_in_paris(now)
    confirmed = list(Booking.objects.filter(unit=unit, status=BookingStatus.CONFIRMED, departure__gt=today))
    blocks = list(ExternalBlock.objects.filter(unit=unit, end__gt=today)) if confirmed else []
    seen, created = set(), []
    for booking in confirmed:
        for block in blocks:
            if block.start < booking.departure and booking.arrival < block.end:
                seen.add((booking.pk, block.feed_id, block.start, block.end))
                alert = _alert_once(unit=unit, booking=booking, block=block, now=now)
                if alert is not None:
                    created.append(alert)
    _resolve_gone(unit=unit, seen=seen, now=now)
    return created


def _alert_once(*, unit: Unit, booking: Booking, block: ExternalBlock, now: datetime) -> DoubleBookingAlert | None:
    feed_id = block.feed_id  # delete_feed removes a feed's blocks with it, so the row exists
    open_alert = DoubleBookingAlert.objects.filter(booking=booking, feed_id=feed_id, resolved_at__isnull=True)
    if open_alert.exists():  # the same conflict, the block just moved: already told
        return None
    alert, created = DoubleBookingAlert.objects.get_or_create(
        booking=booking, feed_id=feed_id, block_start=block.start, block_end=block.end,
        defaults={"unit": unit, "source_name": block.source_name, "block_summary": block.summary,
                  "detected_at": now})
    if not created:
        return None
    transaction.on_commit(lambda: emails.double_booking(alert.pk))
    return alert


def _resolve_gone(*, unit: Unit, seen: set, now: datetime) -> None:
    """An alert whose booking no longer overlaps anything from that feed (stay cancelled on
    the other platform, or our booking cancelled) leaves the dashboard banner."""
    still = {(booking_id, feed_id) for booking_id, feed_id, _start, _end in seen}
    for alert in DoubleBookingAlert.objects.filter(unit=unit, resolved_at__isnull=True):
        if (alert.booking_id, alert.feed_id) not in still:
            alert.resolved_at = now
            alert.save(update_fields=["resolved_at"])


def resolve_alert(*, alert: DoubleBookingAlert, now: datetime) -> None:
    """The owner says it is handled (alternative found or refund made)."""
    DoubleBookingAlert.objects.filter(pk=alert.pk, resolved_at__isnull=True).update(resolved_at=now)


def on_booking_confirmed(sender, *, booking: Booking, **kwargs) -> None:
    """Receiver of bookings.signals.booking_confirmed (sent on commit): a block imported
    while the payment went through is alerted at once, not at the next sync."""
    if not booking.unit_id:
        return
    try:
        with transaction.atomic():
            detect_double_bookings(unit=booking.unit, now=timezone.now())
    except Exception:  # the payment is done; the next sync detects it again
        log.exception("double-booking check failed for booking %s", booking.pk)
