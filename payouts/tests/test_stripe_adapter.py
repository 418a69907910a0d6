"""What we send to Stripe: cents, timeouts aside, idempotency keys from our own ids (the local
server ignores them, so a recording server stands in for Stripe here)."""
from datetime import timedelta

import pytest

from payouts import stripe_adapter
from payouts.models import Payment, Refund, RefundReason
from payouts.refunds import attempt_refund

pytestmark = pytest.mark.django_db


@pytest.fixture
def recording_stripe(httpserver, settings):
    settings.STRIPE_API_BASE = httpserver.url_for("").rstrip("/")
    settings.STRIPE_SECRET_KEY = "sk_test_recording"
    return httpserver


def sent_headers(httpserver, path: str) -> list[dict]:
    return [dict(request.headers) for request, _response in httpserver.log if request.path == path]


def test_a_refund_retried_after_a_network_failure_reuses_its_idempotency_key(recording_stripe, settings,
                                                                            accepted_stay):
    payment = Payment.objects.create(booking=accepted_stay, amount_cents=40000, status="succeeded",
                                     stripe_payment_intent_id="pi_recorded")
    refund = Refund.objects.create(payment=payment, amount_cents=1250, reason=RefundReason.CANCELLATION,
                                   request_key="test")
    recording_stripe.expect_request("/v1/refunds", method="POST").respond_with_json(
        {"id": "re_1", "object": "refund", "amount": 1250, "status": "succeeded", "metadata": {}})
    real = settings.STRIPE_API_BASE
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    attempt_refund(refund_id=refund.pk, now=payment.created_at)  # unreachable: stays pending
    settings.STRIPE_API_BASE = real
    attempt_refund(refund_id=refund.pk, now=payment.created_at + timedelta(minutes=10))  # the sweep, later

    (headers,) = sent_headers(recording_stripe, "/v1/refunds")
    assert headers["Idempotency-Key"] == f"alma-refund-{refund.pk}-pi_recorded"
    body = recording_stripe.log[0][0].form
    assert (body["amount"], body["payment_intent"], body["reason"]) == ("1250", "pi_recorded",
                                                                        "requested_by_customer")
    refund.refresh_from_db()
    assert refund.status == "succeeded" and refund.attempts == 2


def test_a_payment_intent_is_created_with_a_key_from_our_payment_row(recording_stripe, accepted_stay):
    payment = Payment.objects.create(booking=accepted_stay, amount_cents=40000)
    recording_stripe.expect_request("/v1/payment_intents", method="POST").respond_with_json(
        {"id": "pi_new", "object": "payment_intent", "status": "requires_payment_method", "amount": 40000,
         "client_secret": "pi_new_secret_x"})
    stripe_adapter.create_payment_intent(amount_cents=40000, reference=accepted_stay.reference, metadata={},
                                         idempotency_key=payment.idempotency_key)
    (headers,) = sent_headers(recording_stripe, "/v1/payment_intents")
    assert headers["Idempotency-Key"] == f"alma-payment-{payment.pk}-{accepted_stay.reference}"
    body = recording_stripe.log[0][0].form
    assert (body["amount"], body["currency"], body["transfer_group"]) == (
        "40000", "eur", f"booking-{accepted_stay.reference}")


def test_without_a_secret_key_nothing_is_sent(settings):
    settings.STRIPE_SECRET_KEY = ""
    with pytest.raises(stripe_adapter.StripeUnavailable):
        stripe_adapter.retrieve_payment_intent("pi_x")
