"""Notifications other apps may listen to, so bookings never imports them (dependencies
point one way). A signal here is only ever a pure notification, sent on commit of what it
tells: the booking has already changed and nothing a receiver does or fails to do can change
that. Calls whose answer or effect the booking depends on are explicit hooks instead
(bookings/hooks.py: the calendar re-check before a commitment, the refund a cancellation owes).

- `booking_confirmed(sender=Booking, booking=booking)`: sent on commit when a booking is
  paid. calsync looks for a block imported while the card was being charged and alerts the
  owner and staff of the double booking (calsync/conflicts.py).
"""
from django.dispatch import Signal

booking_confirmed = Signal()
