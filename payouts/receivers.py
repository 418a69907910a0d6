"""What payouts does when bookings signals something (connected in PayoutsConfig.ready)."""
from decimal import Decimal

from django.dispatch import receiver
from django.utils import timezone

from bookings.models import Booking
from bookings.signals import refund_requested

from .refunds import refund_booking


@receiver(refund_requested, sender=Booking, dispatch_uid="payouts.refund_on_cancellation")
def refund_on_cancellation(sender, *, booking: Booking, amount: Decimal, **kwargs) -> None:
    # Sent on commit of the cancellation: no transaction of bookings is held while Stripe works.
    refund_booking(booking=booking, amount=amount, now=timezone.now())
