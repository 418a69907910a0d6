"""Refunds through Stripe: on cancellation (`bookings.hooks.refund_owed`), for a
payment that came too late, for a duplicate payment, and those staff made in Stripe itself.

A refund is a row first (`pending`), then a Stripe call with the idempotency key
`alma-refund-<pk>-<PaymentIntent>`, then `complete_refund`, which flips the row to `succeeded` once
(compare-and-set) and only then tells the booking (`record_refund`), all under the booking's
lock taken first (docs/locks.md). If Stripe cannot be
reached the row stays pending and `retry_refunds` (every 10 minutes) tries again.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q, Sum

from bookings import services as bookings
from bookings.locks import lock_booking
from bookings.models import Booking
from core.money import from_cents, to_cents

from . import ledger
from . import stripe_adapter as stripe
from .models import Payment, PaymentStatus, Refund, RefundReason, RefundStatus

log = logging.getLogger(__name__)

# Stripe accepts only these reasons; a late payment has none of them.
STRIPE_REASONS = {RefundReason.CANCELLATION: "requested_by_customer", RefundReason.DUPLICATE: "duplicate"}
# (RefundReason.AMOUNT_MISMATCH has none either: payouts/services.py _mismatch_refunded.)
RETRY_AFTER = timedelta(minutes=2)  # an attempt in flight is left alone this long


def request_refund(*, payment: Payment, amount_cents: int, reason: str, request_key: str) -> Refund:
    """The pending row for this decision (the same row if it was already taken)."""
    refund, _created = Refund.objects.get_or_create(
        request_key=request_key, defaults={"payment": payment, "amount_cents": amount_cents, "reason": reason})
    return refund


def refund_booking(*, booking: Booking, amount: Decimal, now: datetime) -> list[Refund]:
    """A cancellation owes `amount` back: refund it from the booking's card payments
    (partial refunds allowed), then record it on the booking. Called on commit of the
    cancellation (registered in PayoutsConfig.ready): no transaction of bookings is held
    while Stripe works."""
    rows = cancellation_refunds(booking=booking, amount=amount)
    for row in rows:
        attempt_refund(refund_id=row.pk, now=now)
    return rows


def cancellation_refunds(*, booking: Booking, amount: Decimal) -> list[Refund]:
    """The refund rows a cancellation owing `amount` takes from the booking's card payments,
    oldest first (pending when new; the same rows when asked again)."""
    wanted = to_cents(amount)
    with transaction.atomic():
        lock_booking(booking.pk)  # docs/locks.md: Booking → Payment → Refund
        payments = list(Payment.objects.select_for_update().filter(
            booking=booking, status=PaymentStatus.SUCCEEDED, is_duplicate=False, amount_mismatch=False,
        ).order_by("created_at", "pk"))
        rows = [row for payment in payments if (row := _cancellation_share(booking, payment, wanted))]
    if (missing := wanted - _cancellation_cents(booking)) > 0:
        # No card payment to take it from (the part a gift voucher paid, a booking without payment).
        log.error("booking %s: %s cents to refund exceed its card payments", booking.reference, missing)
    return rows


def _cancellation_share(booking: Booking, payment: Payment, wanted: int) -> Refund | None:
    key = f"cancellation:{booking.pk}:{payment.pk}"
    existing = Refund.objects.filter(request_key=key).first()
    if existing is not None:
        return existing
    remaining = wanted - _cancellation_cents(booking)
    share = min(remaining, payment.amount_cents - _committed_cents(payment))
    if share <= 0:
        return None
    return request_refund(payment=payment, amount_cents=share, reason=RefundReason.CANCELLATION, request_key=key)


def _cancellation_cents(booking: Booking) -> int:
    return Refund.objects.filter(payment__booking=booking, reason=RefundReason.CANCELLATION).exclude(
        status=RefundStatus.FAILED).aggregate(total=Sum("amount_cents"))["total"] or 0


def _committed_cents(payment: Payment) -> int:
    """Refunded or about to be: what the payment can no longer give back."""
    return payment.refunds.exclude(status=RefundStatus.FAILED).aggregate(total=Sum("amount_cents"))["total"] or 0


def attempt_refund(*, refund_id: int, now: datetime) -> Refund:
    """Ask Stripe for a pending refund. Failure to reach Stripe leaves it pending."""
    refund = Refund.objects.select_related("payment").get(pk=refund_id)
    if refund.status != RefundStatus.PENDING or not _take_lease(refund, now):
        return refund  # done, or another process is asking Stripe right now
    try:
        result = stripe.create_refund(intent_id=refund.payment.stripe_payment_intent_id,
                                      amount_cents=refund.amount_cents, alma_refund_id=refund.pk,
                                      stripe_reason=STRIPE_REASONS.get(refund.reason, ""))
    except stripe.StripeUnavailable as error:
        log.warning("refund #%s not done yet (%s); retried later", refund.pk, error)
        Refund.objects.filter(pk=refund.pk).update(error_message=str(error)[:500])
        return refund
    if result.status in ("failed", "canceled"):
        log.error("Stripe refused refund #%s (%s): staff must look", refund.pk, result.status)
        Refund.objects.filter(pk=refund.pk, status=RefundStatus.PENDING).update(
            status=RefundStatus.FAILED, stripe_refund_id=result.id, error_message=result.status)
    else:  # "succeeded", or "pending" at Stripe: the money is on its way back
        complete_refund(refund_id=refund.pk, stripe_refund_id=result.id, now=now)
    refund.refresh_from_db()
    return refund


def _take_lease(refund: Refund, now: datetime) -> bool:
    """Compare-and-set, without holding a lock during the Stripe call: the webhook, the return
    page and the sweep may all try the same refund, only one calls Stripe."""
    free = Q(attempted_at__isnull=True) | Q(attempted_at__lte=now - RETRY_AFTER)
    return Refund.objects.filter(free, pk=refund.pk, status=RefundStatus.PENDING).update(
        attempted_at=now, attempts=F("attempts") + 1) == 1


def complete_refund(*, refund_id: int, stripe_refund_id: str, now: datetime) -> bool:
    """Stripe refunded: mark the row once and tell the booking. False if already done
    (the API answer and the `charge.refunded` webhook both get here)."""
    refund = Refund.objects.select_related("payment").get(pk=refund_id)  # unlocked: to find the booking
    with transaction.atomic():
        # docs/locks.md: Booking → Payment → Refund, as a payment event replayed meanwhile
        # takes them; record_refund's own booking lock is then already ours.
        lock_booking(refund.payment.booking_id)
        payment = Payment.objects.select_for_update().get(pk=refund.payment_id)
        done = Refund.objects.filter(pk=refund_id, status=RefundStatus.PENDING).update(
            status=RefundStatus.SUCCEEDED, stripe_refund_id=stripe_refund_id, error_message="") == 1
        if not done:
            return False
        Payment.objects.filter(pk=payment.pk).update(refunded_cents=F("refunded_cents") + refund.amount_cents)
        if payment.counts_for_booking:  # a duplicate or mismatched payment was never counted on the booking
            _tell_booking(refund, payment.booking, now)
        ledger.post_refund(refund=refund, now=now)
    return True


def _tell_booking(refund: Refund, booking: Booking, now: datetime) -> None:
    amount = from_cents(refund.amount_cents)
    bookings.record_refund(booking=booking, amount=amount, now=now)
    if refund.reason == RefundReason.LATE_PAYMENT:
        transaction.on_commit(lambda: bookings.notify_late_payment_refunded(booking=booking, amount=amount, now=now))


def sync_refunds(*, intent_id: str, now: datetime) -> None:
    """`charge.refunded`: make our rows match Stripe's refunds of this payment, including
    those staff made in Stripe's dashboard."""
    payment = Payment.objects.filter(stripe_payment_intent_id=intent_id).first()
    if payment is None:
        return
    for found in stripe.list_refunds(intent_id=intent_id):
        if found.status in ("failed", "canceled"):
            continue
        ours = Refund.objects.filter(pk=found.alma_refund_id, payment=payment).first() if found.alma_refund_id else None
        if ours is None:
            ours = Refund.objects.filter(stripe_refund_id=found.id).first() or request_refund(
                payment=payment, amount_cents=found.amount_cents, reason=RefundReason.STRIPE_DASHBOARD,
                request_key=f"stripe:{found.id}")
        complete_refund(refund_id=ours.pk, stripe_refund_id=found.id, now=now)


def retry_refunds(*, now: datetime, batch_size: int = 100) -> int:
    """The sweep: pending refunds whose Stripe call failed earlier. Returns how many succeeded."""
    stale = now - RETRY_AFTER
    pending = Refund.objects.filter(Q(attempted_at__lte=stale) | Q(attempted_at__isnull=True, created_at__lte=stale),
                                    status=RefundStatus.PENDING).order_by("pk")
    done = 0
    for refund_id in pending.values_list("pk", flat=True)[:batch_size]:
        done += attempt_refund(refund_id=refund_id, now=now).status == RefundStatus.SUCCEEDED
    return done
