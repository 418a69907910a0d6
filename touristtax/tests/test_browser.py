"""A traveller in a real browser books an instant stay in a commune with a tariff: the booking
form and the payment page show the "Taxe de séjour" line, the card pays price + tax on the
local Stripe server, the trip page shows the line again. axe-core checks the pages."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from bookings.models import Booking, BookingStatus
from payouts.tests.test_browser import log_in, pay_with_card

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_traveller_pays_the_tourist_tax_with_an_instant_stay(live_server, page, axe_check, traveller, taxed_lodging,
                                                              instant_unit, stripe_server):
    arrival = timezone.localdate() + timedelta(days=30)
    log_in(page, live_server, traveller.email)
    page.goto(live_server.url + reverse("booking_start", args=[instant_unit.pk])
              + f"?arrival={arrival.isoformat()}&departure={(arrival + timedelta(days=3)).isoformat()}")
    form = page.locator(".price-breakdown")
    expect(form).to_contain_text("Taxe de séjour (2 adultes × 3 nuits × 1,32 €)")
    expect(form).to_contain_text("407,92 €")
    axe_check(page, context="booking form with the tax")
    page.get_by_label("Votre téléphone").fill("06 12 34 56 78")
    page.get_by_role("button", name="Réserver et payer").click()
    expect(page.get_by_role("heading", name="Paiement de votre réservation")).to_be_visible()
    expect(page.locator(".payment-summary")).to_contain_text("Taxe de séjour")
    expect(page.get_by_role("button", name="Payer 407,92 €")).to_be_enabled()
    axe_check(page, context="payment page with the tax")
    pay_with_card(page, "407,92")
    expect(page.get_by_role("heading", name="Paiement reçu : votre réservation est confirmée")).to_be_visible()
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.CONFIRMED and str(booking.amount_paid) == "407.92"
    assert stripe_server.intent(booking.payments.get().stripe_payment_intent_id)["amount"] == 40792
    page.goto(live_server.url + reverse("trip_detail", args=[booking.reference]))
    expect(page.locator(".price-breakdown")).to_contain_text("Taxe de séjour")
    expect(page.locator(".price-breakdown")).to_contain_text("407,92 €")
