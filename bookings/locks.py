"""Row locks on bookings, and the one order every app takes them in (docs/locks.md).

Lock order, always: Booking → Payment(s) → Refund(s) → payout rows. A transaction that
needs several of these rows takes the booking first, even when it starts from a payment or a
refund, so two transactions that touch one booking queue on its row instead of each holding
what the other waits for (a deadlock on PostgreSQL, "database is locked" on SQLite).
"""
from __future__ import annotations

from .models import Booking


def lock_booking(booking_id: int) -> None:
    """Take the booking's row lock for the rest of the current transaction (which must be
    open: `transaction.atomic()`). Taking it again in the same transaction is free."""
    Booking.objects.select_for_update().filter(pk=booking_id).values_list("pk", flat=True).first()
