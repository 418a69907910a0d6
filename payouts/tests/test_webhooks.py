"""Stripe's webhook: signed, each event once, in any order; late payments refunded."""
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings.models import BookingEvent, BookingStatus, ExternalBlock
from payouts.models import Payment, PaymentStatus, Refund, RefundReason, RefundStatus, StripeEvent

from .conftest import DECLINED, event

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_intent(client, traveller, accepted_stay, stripe_server):
    """The traveller paid on Stripe; our site has not heard of it yet (no return page)."""
    client.force_login(traveller)
    page = client.get(reverse("payment_page", args=[accepted_stay.reference]))
    payment = page.context["payment"]
    assert stripe_server.pay(payment.stripe_payment_intent_id, page.context["client_secret"]).status_code == 200
    client.logout()
    return stripe_server.intent(payment.stripe_payment_intent_id)


def confirmations(booking):
    return BookingEvent.objects.filter(booking=booking, to_status=BookingStatus.CONFIRMED).count()


def test_a_badly_signed_event_is_refused_and_changes_nothing(client, accepted_stay, paid_intent):
    payload = b'{"id": "evt_forged", "type": "payment_intent.succeeded"}'
    wrong = client.post("/stripe/webhook/", data=payload, content_type="application/json",
                        HTTP_STRIPE_SIGNATURE=f"t={int(time.time())},v1=deadbeef")
    missing = client.post("/stripe/webhook/", data=payload, content_type="application/json")
    assert wrong.status_code == missing.status_code == 400
    accepted_stay.refresh_from_db()
    assert accepted_stay.status == BookingStatus.AWAITING_PAYMENT
    assert not StripeEvent.objects.exists()


def test_an_event_signed_with_another_secret_is_refused(post_event, accepted_stay, paid_intent):
    response = post_event(event("payment_intent.succeeded", paid_intent), secret="whsec_someone_else")
    assert response.status_code == 400
    accepted_stay.refresh_from_db()
    assert accepted_stay.status == BookingStatus.AWAITING_PAYMENT


def test_the_same_event_five_times_confirms_once_and_emails_once(post_event, accepted_stay, paid_intent,
                                                                  mailoutbox, django_capture_on_commit_callbacks):
    succeeded = event("payment_intent.succeeded", paid_intent)
    with django_capture_on_commit_callbacks(execute=True):
        answers = [post_event(succeeded).status_code for _ in range(5)]

    assert answers == [200] * 5
    accepted_stay.refresh_from_db()
    assert accepted_stay.status == BookingStatus.CONFIRMED
    assert confirmations(accepted_stay) == 1
    assert StripeEvent.objects.filter(event_id=succeeded["id"]).count() == 1
    assert [mail.to for mail in mailoutbox] == [["lucie@example.fr"], ["helene@example.fr"]]


def test_the_return_page_and_the_webhook_together_confirm_once(client, traveller, post_event, accepted_stay,
                                                               paid_intent, mailoutbox,
                                                               django_capture_on_commit_callbacks):
    client.force_login(traveller)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("payment_return", args=[accepted_stay.reference]))
        post_event(event("payment_intent.succeeded", paid_intent))
    assert confirmations(accepted_stay) == 1
    assert len(mailoutbox) == 2


def test_a_failure_reported_after_the_success_does_not_move_the_booking_back(post_event, accepted_stay,
                                                                             paid_intent):
    failed = dict(paid_intent, status="requires_payment_method",
                  last_payment_error={"code": "card_declined", "message": "Your card was declined."})
    post_event(event("payment_intent.succeeded", paid_intent))
    post_event(event("payment_intent.payment_failed", failed))
    post_event(event("payment_intent.processing", dict(paid_intent, status="processing")))

    accepted_stay.refresh_from_db()
    assert accepted_stay.status == BookingStatus.CONFIRMED
    assert Payment.objects.get().status == PaymentStatus.SUCCEEDED


def test_a_failure_then_the_success_confirms(post_event, client, traveller, accepted_stay, stripe_server):
    client.force_login(traveller)
    page = client.get(reverse("payment_page", args=[accepted_stay.reference]))
    intent_id, secret = page.context["payment"].stripe_payment_intent_id, page.context["client_secret"]
    stripe_server.pay(intent_id, secret, card=DECLINED)
    declined = stripe_server.intent(intent_id)
    stripe_server.pay(intent_id, secret)
    post_event(event("payment_intent.payment_failed", declined))
    assert Payment.objects.get().status == PaymentStatus.FAILED
    post_event(event("payment_intent.succeeded", stripe_server.intent(intent_id)))
    accepted_stay.refresh_from_db()
    assert accepted_stay.status == BookingStatus.CONFIRMED


def test_a_payment_after_the_deadline_is_refunded_and_both_are_told(post_event, accepted_stay, paid_intent,
                                                                    stripe_server, mailoutbox,
                                                                    django_capture_on_commit_callbacks):
    accepted_stay.pay_by = timezone.now() - timedelta(minutes=5)
    accepted_stay.save(update_fields=["pay_by"])

    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(event("payment_intent.succeeded", paid_intent)).status_code == 200

    accepted_stay.refresh_from_db()
    assert accepted_stay.status == BookingStatus.EXPIRED
    assert accepted_stay.refunded_amount == accepted_stay.amount_paid == Decimal("400.00")
    assert [r["amount"] for r in stripe_server.refunds(paid_intent["id"])] == [40000]
    refund = Refund.objects.get()
    assert (refund.reason, refund.status) == (RefundReason.LATE_PAYMENT, RefundStatus.SUCCEEDED)
    told = {address for mail in mailoutbox for address in mail.to}
    assert told == {"lucie@example.fr", "helene@example.fr"}
    assert any("Paiement tardif remboursé" in mail.subject for mail in mailoutbox if mail.to == ["helene@example.fr"])


def test_a_late_payment_replayed_is_refunded_only_once(post_event, accepted_stay, paid_intent, stripe_server,
                                                       django_capture_on_commit_callbacks):
    accepted_stay.pay_by = timezone.now() - timedelta(minutes=5)
    accepted_stay.save(update_fields=["pay_by"])
    with django_capture_on_commit_callbacks(execute=True):
        post_event(event("payment_intent.succeeded", paid_intent, event_id="evt_first"))
        post_event(event("payment_intent.succeeded", paid_intent, event_id="evt_retry"))
    assert len(stripe_server.refunds(paid_intent["id"])) == 1
    accepted_stay.refresh_from_db()
    assert accepted_stay.refunded_amount == Decimal("400.00")


def test_a_second_payment_of_a_paid_booking_is_refunded_as_a_duplicate(client, traveller, post_event, accepted_stay,
                                                                       paid_intent, stripe_server,
                                                                       django_capture_on_commit_callbacks):
    # Another tab opened before the voucher changed the amount: a second PaymentIntent exists.
    second = Payment.objects.create(booking=accepted_stay, amount_cents=40000)
    client.force_login(traveller)
    from payouts.services import _ensure_intent

    intent = _ensure_intent(second)
    stripe_server.pay(intent.id, intent.client_secret)
    with django_capture_on_commit_callbacks(execute=True):
        post_event(event("payment_intent.succeeded", paid_intent))
        post_event(event("payment_intent.succeeded", stripe_server.intent(intent.id)))

    accepted_stay.refresh_from_db()
    assert accepted_stay.status == BookingStatus.CONFIRMED
    assert accepted_stay.amount_paid == Decimal("400.00") and accepted_stay.refunded_amount == 0
    second.refresh_from_db()
    assert second.is_duplicate and second.refunded_cents == 40000
    assert [r["amount"] for r in stripe_server.refunds(intent.id)] == [40000]
    assert stripe_server.refunds(paid_intent["id"]) == []


def test_an_unknown_event_type_is_acknowledged(post_event):
    assert post_event({"id": "evt_other", "type": "customer.created", "data": {"object": {"id": "cus_1"}}}
                      ).status_code == 200
    assert StripeEvent.objects.get().processed_at is not None


@pytest.mark.django_db(transaction=True)
def test_events_really_sent_by_the_local_server_verify(live_server, accepted_stay, stripe_server, traveller,
                                                       client):
    """The local Stripe server signs and delivers webhooks itself (as `make run` uses it)."""
    stripe_server.send_webhooks_to(live_server.url + "/stripe/webhook/")
    client.force_login(traveller)
    page = client.get(reverse("payment_page", args=[accepted_stay.reference]))
    stripe_server.pay(page.context["payment"].stripe_payment_intent_id, page.context["client_secret"])
    intent_id = Payment.objects.get().stripe_payment_intent_id
    deadline = time.monotonic() + 10  # the server waits a second before delivering
    while not StripeEvent.objects.filter(object_id=intent_id, processed_at__isnull=False).exists():
        assert time.monotonic() < deadline, "no webhook delivered"
        time.sleep(0.2)
    accepted_stay.refresh_from_db()
    assert accepted_stay.status == BookingStatus.CONFIRMED
    assert Payment.objects.get().status == PaymentStatus.SUCCEEDED


def test_a_payment_for_nights_taken_meanwhile_is_refunded(post_event, accepted_stay, paid_intent, stripe_server,
                                                          mailoutbox, django_capture_on_commit_callbacks):
    # An Airbnb booking imported on the same nights after the owner accepted.
    ExternalBlock.objects.create(unit=accepted_stay.unit, start=accepted_stay.arrival,
                                 end=accepted_stay.departure, feed_id=1, source_name="Airbnb")
    with django_capture_on_commit_callbacks(execute=True):
        post_event(event("payment_intent.succeeded", paid_intent))

    accepted_stay.refresh_from_db()
    assert accepted_stay.status != BookingStatus.CONFIRMED
    assert accepted_stay.refunded_amount == Decimal("400.00")
    assert [r["amount"] for r in stripe_server.refunds(paid_intent["id"])] == [40000]
    assert {"lucie@example.fr", "helene@example.fr"} <= {a for mail in mailoutbox for a in mail.to}


def test_an_event_that_could_not_be_processed_is_processed_when_stripe_sends_it_again(
        post_event, accepted_stay, paid_intent, stripe_server, settings):
    charge = {"id": "ch_x", "object": "charge", "payment_intent": paid_intent["id"]}
    post_event(event("payment_intent.succeeded", paid_intent))
    real = settings.STRIPE_API_BASE
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # listing the refunds fails
    assert post_event(event("charge.refunded", charge, event_id="evt_refunded")).status_code == 503
    settings.STRIPE_API_BASE = real
    assert post_event(event("charge.refunded", charge, event_id="evt_refunded")).status_code == 200
    assert StripeEvent.objects.get(event_id="evt_refunded").processed_at is not None


def test_the_payment_page_of_a_request_not_yet_accepted_says_so(client, traveller, unit, stripe_server):
    from bookings import services as bookings

    arrival = timezone.localdate() + timedelta(days=30)
    booking = bookings.request_stay(traveller=traveller, unit=unit, arrival=arrival,
                                    departure=arrival + timedelta(days=2), adults=1, children=0, now=timezone.now())
    client.force_login(traveller)
    response = client.get(reverse("payment_page", args=[booking.reference]))
    assert response.status_code == 409
    assert "attend pas de paiement" in response.content.decode()
