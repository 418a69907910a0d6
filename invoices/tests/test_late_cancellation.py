"""A late partial cancellation, through the real payment and refund path (local Stripe
server): the commission is invoiced on the part kept, to the cent, and the owner is paid the
net of that part."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings import services as bookings
from bookings.models import BookingStatus
from invoices.monthly import issue_invoices
from payouts.monthly import paid_on

from .conftest import at, pay_month, ready_account

pytestmark = pytest.mark.django_db


def test_a_late_cancellation_keeping_half_invoices_commission_on_that_half(
        client, unit, owner, traveller, stripe_server, django_capture_on_commit_callbacks):
    now = timezone.now()
    arrival = timezone.localdate() + timedelta(days=5)  # inside the 14 days: 50 % refunded
    booking = bookings.request_stay(traveller=traveller, unit=unit, arrival=arrival,
                                    departure=arrival + timedelta(days=3), adults=2, children=0, now=now)
    bookings.accept(booking=booking, by=owner, now=now)
    client.force_login(traveller)
    page = client.get(reverse("payment_page", args=[booking.reference]))
    stripe_server.pay(page.context["payment"].stripe_payment_intent_id, page.context["client_secret"])
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("payment_return", args=[booking.reference]))
    with django_capture_on_commit_callbacks(execute=True):
        assert bookings.cancel(booking=booking, by=traveller, now=timezone.now()) == Decimal("200.00")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.refunded_amount == Decimal("200.00")

    month = paid_on(booking.service_end)
    ready_account(owner)
    payout = pay_month(owner, month)
    invoice = issue_invoices(month=month, now=at(month, 7)).invoices[0]

    # Kept 400 − 200 = 200 €: commission 13 % = 26,00 € TTC = 21,67 € HT + 4,33 € VAT; net 174,00 €.
    line = invoice.lines.get()
    assert (line.booking, line.base_cents, line.ttc_cents, line.ht_cents, line.vat_cents) == (
        booking, 20000, 2600, 2167, 433)
    assert payout.amount_cents == 17400
