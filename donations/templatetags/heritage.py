"""`{% heritage_gift booking as gift %}`: what a booking gives to heritage, for the trip page
(bookings/templates/bookings/trip_detail.html), which cannot import the ledger's app. Before the
end, the donation share frozen on its price when it was paid; once ended, the ledger's amount
(what was kept decides: a full refund gives nothing)."""
from __future__ import annotations

from django import template

from core.money import from_cents

from ..selectors import booking_donation_cents

register = template.Library()


@register.simple_tag
def heritage_gift(booking) -> dict | None:
    given = booking_donation_cents(booking)
    if given is not None:
        return {"amount": from_cents(given), "ended": True} if given > 0 else None
    if booking.paid_at is None or not booking.donation_amount or booking.status != "confirmed":
        return None
    return {"amount": booking.donation_amount, "ended": False}
