"""Signals other apps connect to, so bookings never imports them (docs/architecture.md: dependencies
point one way).

- `unit_commitment_pending(sender=Unit, unit=unit)`: sent just before we commit a unit's
  nights (new stay, acceptance, payment). calsync re-fetches the unit's feeds (bounded to a
  few seconds) so a block imported a minute ago is seen by the availability check.
- `refund_requested(sender=Booking, booking=booking, amount=Decimal)`: sent on commit after a
  cancellation that owes money back; payouts refunds through Stripe and then calls
  `bookings.services.record_refund`.
- `booking_confirmed(sender=Booking, booking=booking)`: sent on commit when a booking is paid.
"""
from django.dispatch import Signal

unit_commitment_pending = Signal()
refund_requested = Signal()
booking_confirmed = Signal()
