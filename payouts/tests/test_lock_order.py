"""One lock order for a booking's rows (docs/locks.md), under real concurrency on PostgreSQL:
a replayed `payment_intent.succeeded` and a refund completing on the same booking, released
together by a barrier, many times. Before the order was one, the first locked Booking then
Payment and the second Payment then Booking: PostgreSQL killed one with a deadlock."""
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.utils import timezone

from bookings import services as bookings
from bookings.models import Booking, BookingStatus
from payouts import refunds, webhooks
from payouts import services as payments
from payouts.models import Payment, PaymentStatus, Refund, RefundReason, RefundStatus

from .conftest import event

ROUNDS = 30
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
]


def together(*works):
    """Run each work in its own thread, released at once; return what each returned or raised."""
    barrier = threading.Barrier(len(works))
    outcomes: list = [None] * len(works)

    def run(index, work):
        try:
            barrier.wait()
            outcomes[index] = work()
        except Exception as error:  # noqa: BLE001 - every outcome is asserted by the caller
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(works)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def paid_stay_with_pending_refund(*, unit, owner, traveller, index: int, now) -> tuple[Payment, Refund]:
    """A confirmed 400 € stay paid by card, and a 100 € refund Stripe has just made."""
    arrival = timezone.localdate() + timedelta(days=30 + 4 * index)
    booking = bookings.request_stay(traveller=traveller, unit=unit, arrival=arrival,
                                    departure=arrival + timedelta(days=3), adults=2, children=0, now=now)
    bookings.accept(booking=booking, by=owner, now=now)
    payment = Payment.objects.create(booking=booking, amount_cents=40000, stripe_payment_intent_id=f"pi_lock_{index}",
                                     status=PaymentStatus.REQUIRES_PAYMENT)
    payments.payment_succeeded(intent_id=payment.stripe_payment_intent_id, amount_cents=40000,
                               charge_id=f"ch_lock_{index}", now=now)
    refund = refunds.request_refund(payment=payment, amount_cents=10000, reason=RefundReason.STRIPE_DASHBOARD,
                                    request_key=f"stripe:re_lock_{index}")
    return payment, refund


def succeeded_event(payment: Payment, index: int) -> dict:
    intent = {"id": payment.stripe_payment_intent_id, "object": "payment_intent", "status": "succeeded",
              "amount": 40000, "amount_received": 40000, "latest_charge": f"ch_lock_{index}"}
    return event("payment_intent.succeeded", intent, event_id=f"evt_replay_{index}")


def test_a_replayed_payment_event_and_a_refund_completing_never_deadlock(unit, owner, traveller):
    now = timezone.now()
    rows = [paid_stay_with_pending_refund(unit=unit, owner=owner, traveller=traveller, index=i, now=now)
            for i in range(ROUNDS)]
    for index, (payment, refund) in enumerate(rows):
        outcomes = together(
            lambda payment=payment, index=index: webhooks.handle_event(event=succeeded_event(payment, index), now=now),
            lambda refund=refund, index=index: refunds.complete_refund(refund_id=refund.pk,
                                                                        stripe_refund_id=f"re_lock_{index}", now=now))
        assert outcomes == [True, True], f"round {index}: {outcomes}"

    for payment, refund in rows:
        booking = Booking.objects.get(pk=payment.booking_id)
        assert booking.status == BookingStatus.CONFIRMED
        assert (booking.amount_paid, booking.refunded_amount) == (Decimal("400.00"), Decimal("100.00"))
        assert Payment.objects.get(pk=payment.pk).refunded_cents == 10000
        assert Refund.objects.get(pk=refund.pk).status == RefundStatus.SUCCEEDED
        assert not Refund.objects.filter(payment=payment).exclude(pk=refund.pk).exists()  # no refund as duplicate
