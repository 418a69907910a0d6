"""Paying in a real browser against the local Stripe server: its Stripe.js card Element, its
signed webhooks delivered to the live server."""
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from bookings.models import Booking, BookingEvent, BookingStatus
from conftest import PASSWORD
from payouts.models import Payment, PaymentStatus, StripeEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, email: str) -> None:
    page.context.clear_cookies()
    page.goto(live_server.url + "/fr/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("button", name="Déconnexion")).to_be_visible()


def pay_with_card(page, amount: str, card: str = "4242 4242 4242 4242") -> None:
    """Type the card in Stripe's card Element (the local server's fake one: plain inputs)."""
    page.get_by_placeholder("number").fill(card)
    page.get_by_placeholder("exp_month").fill("12")
    page.get_by_placeholder("exp_year").fill("34")
    page.get_by_placeholder("cvc").fill("123")
    page.get_by_role("button", name=f"Payer {amount} €").click()


def wait_for_webhook(intent_id: str) -> None:
    deadline = time.monotonic() + 10
    while not StripeEvent.objects.filter(type="payment_intent.succeeded", object_id=intent_id,
                                         processed_at__isnull=False).exists():
        assert time.monotonic() < deadline, f"no webhook for {intent_id}"
        time.sleep(0.2)


@pytest.fixture
def webhooks_to_live_server(stripe_server, live_server):
    stripe_server.send_webhooks_to(live_server.url + reverse("stripe_webhook"))
    return stripe_server


def test_traveller_requests_owner_accepts_traveller_pays_by_card(live_server, page, axe_check, owner, traveller,
                                                                unit, webhooks_to_live_server, mailoutbox):
    arrival = timezone.localdate() + timedelta(days=30)
    log_in(page, live_server, traveller.email)
    page.goto(live_server.url + reverse("booking_start", args=[unit.pk]))
    page.get_by_label("Arrivée").fill(arrival.isoformat())
    page.get_by_label("Départ").fill((arrival + timedelta(days=3)).isoformat())
    page.get_by_label("Message au propriétaire").fill("Nous arriverons vers 18 h.")
    page.get_by_label("Votre téléphone").fill("06 12 34 56 78")
    page.get_by_role("button", name="Envoyer ma demande").click()
    booking = Booking.objects.get()
    expect(page.get_by_text(booking.reference).first).to_be_visible()

    log_in(page, live_server, owner.email)
    page.goto(live_server.url + reverse("dashboard_bookings"))
    page.get_by_role("button", name=f"Accepter la demande {booking.reference}").click()
    expect(page.get_by_text(f"Demande {booking.reference} acceptée")).to_be_visible()

    log_in(page, live_server, traveller.email)
    page.goto(live_server.url + reverse("trip_detail", args=[booking.reference]))
    page.get_by_role("link", name="Payer maintenant").click()
    expect(page.get_by_role("heading", name="Paiement de votre réservation")).to_be_visible()
    expect(page.get_by_role("button", name="Payer 400,00 €")).to_be_enabled()  # Stripe.js loaded, card mounted
    axe_check(page, context="payment page")
    pay_with_card(page, "400,00")
    expect(page.get_by_role("heading", name="Paiement reçu : votre réservation est confirmée")).to_be_visible()
    axe_check(page, context="payment result")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and str(booking.amount_paid) == "400.00"

    wait_for_webhook(Payment.objects.get().stripe_payment_intent_id)  # the same work again: nothing changes
    assert BookingEvent.objects.filter(booking=booking, to_status=BookingStatus.CONFIRMED).count() == 1
    confirmed_mails = [m.to for m in mailoutbox if "confirmée" in m.subject]
    assert sorted(confirmed_mails) == [["helene@example.fr"], ["lucie@example.fr"]]

    page.get_by_role("link", name="Voir ma réservation").click()
    expect(page.get_by_text("Confirmée").first).to_be_visible()
    log_in(page, live_server, owner.email)
    page.goto(live_server.url + reverse("dashboard_booking", args=[booking.reference]))
    expect(page.get_by_text("Confirmée").first).to_be_visible()


def test_instant_booking_of_a_session_is_paid_at_once(live_server, page, traveller, session,
                                                      webhooks_to_live_server):
    log_in(page, live_server, traveller.email)
    page.goto(live_server.url + reverse("booking_start_session", args=[session.pk]))
    page.get_by_label("Adultes").fill("2")
    page.get_by_label("Votre téléphone").fill("06 12 34 56 78")
    page.get_by_role("button", name="Réserver et payer").click()
    expect(page.get_by_role("heading", name="Paiement de votre réservation")).to_be_visible()
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.CHECKOUT

    pay_with_card(page, "90,00")
    expect(page.get_by_role("heading", name="Paiement reçu : votre réservation est confirmée")).to_be_visible()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.commission_rate is not None and str(booking.commission_rate) == "0.1500"


def test_a_declined_card_shows_the_error_and_another_card_pays(live_server, page, traveller, session,
                                                               webhooks_to_live_server):
    log_in(page, live_server, traveller.email)
    page.goto(live_server.url + reverse("booking_start_session", args=[session.pk]))
    page.get_by_label("Adultes").fill("1")
    page.get_by_label("Votre téléphone").fill("06 12 34 56 78")
    page.get_by_role("button", name="Réserver et payer").click()

    pay_with_card(page, "45,00", card="4000 0000 0000 0341")
    # In the page's language, not Stripe's English ("Your card was declined.").
    expect(page.get_by_role("alert")).to_contain_text("Votre banque a refusé la carte.")
    assert Booking.objects.get().status == BookingStatus.CHECKOUT

    page.get_by_placeholder("number").fill("4242 4242 4242 4242")
    page.get_by_role("button", name="Payer 45,00 €").click()
    expect(page.get_by_role("heading", name="Paiement reçu : votre réservation est confirmée")).to_be_visible()
    assert Payment.objects.get().status == PaymentStatus.SUCCEEDED

    page.go_back()  # the browser's back button never offers to pay a paid booking again
    expect(page.get_by_role("heading", name="Paiement reçu : votre réservation est confirmée")).to_be_visible()
    expect(page.get_by_role("button", name="Payer 45,00 €")).to_have_count(0)


def test_a_card_asking_for_3d_secure_pays_once_authenticated(live_server, page, traveller, session,
                                                             webhooks_to_live_server):
    log_in(page, live_server, traveller.email)
    page.goto(live_server.url + reverse("booking_start_session", args=[session.pk]))
    page.get_by_label("Adultes").fill("1")
    page.get_by_label("Votre téléphone").fill("06 12 34 56 78")
    page.get_by_role("button", name="Réserver et payer").click()

    pay_with_card(page, "45,00", card="4000 0025 0000 3155")
    page.get_by_role("button", name="Complete authentication").click()  # the bank's 3-D Secure step
    expect(page.get_by_role("heading", name="Paiement reçu : votre réservation est confirmée")).to_be_visible()
    assert Booking.objects.get().status == BookingStatus.CONFIRMED
