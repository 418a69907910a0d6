"""Staff watch payments, refunds and Stripe events in the admin (read-only)."""
import pytest
from django.urls import reverse

from payouts.models import Payment, Refund, RefundReason, StripeEvent

pytestmark = pytest.mark.django_db


def test_staff_see_payments_refunds_and_events_in_euros(client, staff, accepted_stay):
    payment = Payment.objects.create(booking=accepted_stay, amount_cents=40000, stripe_payment_intent_id="pi_admin")
    Refund.objects.create(payment=payment, amount_cents=1250, reason=RefundReason.CANCELLATION, request_key="a")
    StripeEvent.objects.create(event_id="evt_admin", type="payment_intent.succeeded", object_id="pi_admin",
                               received_at=payment.created_at)
    client.force_login(staff)
    payments = client.get(reverse("admin:payouts_payment_changelist")).content.decode()
    assert "pi_admin" in payments and "400,00\u00a0€" in payments
    assert "12,50\u00a0€" in client.get(reverse("admin:payouts_refund_changelist")).content.decode()
    assert "evt_admin" in client.get(reverse("admin:payouts_stripeevent_changelist")).content.decode()
    assert client.get(reverse("admin:payouts_payment_change", args=[payment.pk])).status_code == 200
    assert client.get(reverse("admin:payouts_payment_add")).status_code == 403
