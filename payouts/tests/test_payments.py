"""Paying a booking with a card against the local Stripe server: the payment page, the
return page, declined cards, permissions."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import BookingStatus
from conftest import make_user
from core.money import from_cents, to_cents
from payouts.models import Payment, PaymentStatus

from .conftest import DECLINED

pytestmark = pytest.mark.django_db


def open_payment_page(client, booking):
    response = client.get(reverse("payment_page", args=[booking.reference]))
    assert response.status_code == 200, response.content.decode()[:500]
    return response


def pay(client, booking, stripe_server, *, card=None):
    """The traveller opens the page, Stripe.js confirms the card, Stripe.js returns to us."""
    page = open_payment_page(client, booking)
    payment = page.context["payment"]
    answer = stripe_server.pay(payment.stripe_payment_intent_id, page.context["client_secret"],
                               **({"card": card} if card else {}))
    back = client.get(reverse("payment_return", args=[booking.reference]),
                      {"payment_intent": payment.stripe_payment_intent_id})
    return answer, back


@pytest.mark.parametrize(("euros", "cents"), [("0.01", 1), ("10.00", 1000), ("400.00", 40000), ("1234.56", 123456)])
def test_euros_become_stripe_cents_exactly(euros, cents):
    assert to_cents(Decimal(euros)) == cents
    assert from_cents(cents) == Decimal(euros)


@pytest.mark.parametrize("euros", ["10.005", "0.001", "1234.565"])
def test_an_amount_finer_than_a_cent_is_a_bug_not_rounded(euros):
    with pytest.raises(ValueError):
        to_cents(Decimal(euros))


def test_payment_page_asks_for_the_amount_due_once_across_reloads(client, traveller, accepted_stay, stripe_server):
    client.force_login(traveller)
    first = open_payment_page(client, accepted_stay)
    again = open_payment_page(client, accepted_stay)

    payment = Payment.objects.get(booking=accepted_stay)
    assert first.context["payment"] == again.context["payment"] == payment
    intent = stripe_server.intent(payment.stripe_payment_intent_id)
    assert intent["amount"] == 40000 == payment.amount_cents  # 3 nights × 120 € + 40 € cleaning
    assert intent["transfer_group"] == f"booking-{accepted_stay.reference}"
    assert intent["metadata"]["booking_reference"] == accepted_stay.reference
    html = first.content.decode()
    assert "400,00\u00a0€" in html
    assert f'src="{stripe_server.url}/js.stripe.com/v3/"' in html


def test_amount_due_deducts_the_voucher(client, traveller, accepted_stay, stripe_server):
    accepted_stay.voucher_amount = Decimal("150.00")
    accepted_stay.save(update_fields=["voucher_amount"])
    client.force_login(traveller)
    page = open_payment_page(client, accepted_stay)
    assert page.context["payment"].amount_cents == 25000


def test_paying_by_card_confirms_the_booking_on_the_return_page(client, traveller, accepted_stay, stripe_server,
                                                                 mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(traveller)
    with django_capture_on_commit_callbacks(execute=True):
        answer, back = pay(client, accepted_stay, stripe_server)

    assert answer.json()["status"] == "succeeded"
    assert back.status_code == 200
    assert "Paiement reçu : votre réservation est confirmée" in back.content.decode()
    accepted_stay.refresh_from_db()
    assert accepted_stay.status == BookingStatus.CONFIRMED
    assert accepted_stay.amount_paid == Decimal("400.00")
    assert accepted_stay.commission_amount == Decimal("52.00")  # 13 % of a stay, frozen when paid
    payment = Payment.objects.get(booking=accepted_stay)
    assert payment.status == PaymentStatus.SUCCEEDED and payment.stripe_charge_id.startswith("ch_")
    recipients = sorted(address for mail in mailoutbox for address in mail.to)
    assert recipients == ["helene@example.fr", "lucie@example.fr"]  # confirmed: traveller and owner


def test_a_declined_card_leaves_the_booking_waiting_for_payment(client, traveller, accepted_stay, stripe_server):
    client.force_login(traveller)
    answer, back = pay(client, accepted_stay, stripe_server, card=DECLINED)

    assert answer.status_code == 402
    assert back.status_code == 302 and back.url == reverse("payment_page", args=[accepted_stay.reference])
    accepted_stay.refresh_from_db()
    assert accepted_stay.status == BookingStatus.AWAITING_PAYMENT
    payment = Payment.objects.get(booking=accepted_stay)
    assert payment.status == PaymentStatus.FAILED
    retry = client.get(back.url)
    assert "Your card was declined." in retry.content.decode()
    assert retry.context["payment"] == payment  # the same PaymentIntent takes another card


def test_a_second_card_after_a_declined_one_pays(client, traveller, accepted_stay, stripe_server):
    client.force_login(traveller)
    pay(client, accepted_stay, stripe_server, card=DECLINED)
    answer, back = pay(client, accepted_stay, stripe_server)
    assert answer.json()["status"] == "succeeded"
    accepted_stay.refresh_from_db()
    assert accepted_stay.status == BookingStatus.CONFIRMED


def test_payment_page_after_the_deadline_explains_and_takes_no_card(client, traveller, accepted_stay,
                                                                      stripe_server):
    accepted_stay.pay_by = timezone.now() - timedelta(minutes=1)
    accepted_stay.save(update_fields=["pay_by"])
    client.force_login(traveller)
    response = client.get(reverse("payment_page", args=[accepted_stay.reference]))
    assert response.status_code == 409
    assert "Le délai de paiement est dépassé." in response.content.decode()
    assert not Payment.objects.exists()


def test_payment_page_when_stripe_is_unreachable_is_a_friendly_503(client, traveller, accepted_stay, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    client.force_login(traveller)
    response = client.get(reverse("payment_page", args=[accepted_stay.reference]))
    assert response.status_code == 503
    assert "momentanément indisponible" in response.content.decode()


def test_a_paid_booking_shows_its_confirmation_instead_of_a_new_payment(client, traveller, accepted_stay,
                                                                         stripe_server):
    client.force_login(traveller)
    pay(client, accepted_stay, stripe_server)
    response = client.get(reverse("payment_page", args=[accepted_stay.reference]), follow=True)
    assert "votre réservation est confirmée" in response.content.decode()
    assert Payment.objects.count() == 1


@pytest.mark.parametrize("name", ["payment_page", "payment_return"])
def test_another_traveller_or_the_owner_gets_404_on_payment_pages(client, owner, accepted_stay, stripe_server, name):
    url = reverse(name, args=[accepted_stay.reference])
    client.force_login(make_user("intrus@example.fr"))
    assert client.get(url).status_code == 404
    client.force_login(owner)
    assert client.get(url).status_code == 404
    assert not Payment.objects.exists()


def test_payment_pages_ask_to_log_in(client, accepted_stay):
    response = client.get(reverse("payment_page", args=[accepted_stay.reference]))
    assert response.status_code == 302 and "/fr/comptes/login/" in response.url


def test_payment_intents_of_bookings_no_longer_payable_are_cancelled(client, traveller, owner, accepted_stay,
                                                                    stripe_server):
    from bookings import services as bookings
    from payouts.services import cancel_abandoned_intents

    client.force_login(traveller)
    payment = open_payment_page(client, accepted_stay).context["payment"]
    assert cancel_abandoned_intents() == 0  # still payable: left alone
    bookings.cancel(booking=accepted_stay, by=traveller, now=timezone.now())

    assert cancel_abandoned_intents() == 1
    assert stripe_server.intent(payment.stripe_payment_intent_id)["status"] == "canceled"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELED
    assert cancel_abandoned_intents() == 0


def test_a_booking_confirmed_without_a_card_payment_leads_to_its_trip_page(client, traveller, accepted_stay):
    from bookings import services as bookings

    assert bookings.confirm_payment(booking=accepted_stay, amount_paid=accepted_stay.total_price,
                                    now=timezone.now())  # e.g. demo data
    client.force_login(traveller)
    trip = reverse("trip_detail", args=[accepted_stay.reference])
    assert client.get(reverse("payment_page", args=[accepted_stay.reference])).url == trip
    assert client.get(reverse("payment_return", args=[accepted_stay.reference])).url == trip


def test_the_return_page_before_any_card_goes_back_to_the_payment_page(client, traveller, accepted_stay,
                                                                       stripe_server):
    client.force_login(traveller)
    open_payment_page(client, accepted_stay)
    response = client.get(reverse("payment_return", args=[accepted_stay.reference]))
    assert response.url == reverse("payment_page", args=[accepted_stay.reference])
