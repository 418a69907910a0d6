"""Travellers' card payments (docs/product.md#booking): the PaymentIntent of the payment page, and
what happens when Stripe says a payment succeeded or failed.

The booking's state belongs to `bookings.services`; we only call it:
`assert_payable` before taking a card, `confirm_payment` when the money is ours. The webhook
and the return page share `apply_intent`, and every step is idempotent, so the two (and
Stripe's retries) may arrive in any order and any number of times.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from bookings import services as bookings
from bookings.locks import lock_booking
from bookings.models import Booking, BookingStatus
from core.money import from_cents, to_cents
from touristtax import services as tourist_tax

from . import ledger, refunds
from . import stripe_adapter as stripe
from .models import OPEN_PAYMENT_STATUSES, Payment, PaymentStatus, RefundReason

log = logging.getLogger(__name__)


class PaymentError(Exception):
    """The payment page cannot take a card right now (message for the traveller)."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


STRIPE_DOWN = _("Le paiement est momentanément indisponible. Réessayez dans quelques minutes : "
                "vos dates restent retenues jusqu'au délai indiqué.")


@dataclass(frozen=True)
class Checkout:
    payment: Payment
    intent: stripe.Intent


def amount_due(booking: Booking) -> Decimal:
    """What the card still has to pay: the frozen price minus the voucher and earlier payments,
    plus the taxe de séjour collected with the booking (touristtax; paid by card, outside the
    commission base: docs/tourist-tax.md)."""
    return max(booking.total_price - booking.voucher_amount - booking.amount_paid + tourist_tax.collected_amount(booking),
               Decimal("0.00"))


# --- The payment page -------------------------------------------------------------------

def start_payment(*, booking: Booking, now: datetime) -> Checkout:
    """The PaymentIntent the page confirms with the card: the same one across reloads while
    the amount due is unchanged. Raises BookingError (not payable) or PaymentError."""
    bookings.assert_payable(booking=booking, now=now)
    due_cents = to_cents(amount_due(booking))
    if due_cents <= 0:
        raise PaymentError(_("Il n'y a rien à payer par carte pour cette réservation."))
    payment = _open_payment(booking, due_cents)
    try:
        intent = _ensure_intent(payment)
        if intent.status == "canceled":  # abandoned on Stripe's side: start a fresh one
            Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.CANCELED)
            payment = _open_payment(booking, due_cents)
            intent = _ensure_intent(payment)
    except stripe.StripeUnavailable as error:
        log.warning("payment page of %s: Stripe unavailable: %s", booking.reference, error)
        raise PaymentError(STRIPE_DOWN) from error
    if intent.status in ("succeeded", "processing"):
        apply_intent(intent, now=now)  # paid in another tab before the webhook came
    payment.refresh_from_db()
    return Checkout(payment=payment, intent=intent)


def _open_payment(booking: Booking, due_cents: int) -> Payment:
    """Reuse the booking's open payment of this amount, or start one. The booking row is
    locked briefly so two tabs of one traveller share one PaymentIntent."""
    stale: list[Payment] = []
    with transaction.atomic():
        lock_booking(booking.pk)
        payment = None
        for candidate in Payment.objects.filter(booking=booking, status__in=OPEN_PAYMENT_STATUSES):
            if payment is None and candidate.amount_cents == due_cents:
                payment = candidate
            else:
                stale.append(candidate)
        Payment.objects.filter(pk__in=[p.pk for p in stale]).update(status=PaymentStatus.CANCELED)
        if payment is None:
            payment = Payment.objects.create(booking=booking, amount_cents=due_cents)
    for old in stale:  # the amount due changed (voucher): the old PaymentIntent must not be paid
        transaction.on_commit(lambda old=old: _cancel_intent(old))
    return payment


def _cancel_intent(payment: Payment) -> None:
    if payment.stripe_payment_intent_id:
        try:
            stripe.cancel_payment_intent(payment.stripe_payment_intent_id)
        except stripe.StripeUnavailable as error:  # if it gets paid anyway, it is refunded as a duplicate
            log.warning("could not cancel %s: %s", payment.stripe_payment_intent_id, error)


def _ensure_intent(payment: Payment) -> stripe.Intent:
    if payment.stripe_payment_intent_id:
        return stripe.retrieve_payment_intent(payment.stripe_payment_intent_id)
    booking = payment.booking
    intent = stripe.create_payment_intent(
        amount_cents=payment.amount_cents, reference=booking.reference, idempotency_key=payment.idempotency_key,
        metadata={"booking_reference": booking.reference, "booking_id": str(booking.pk), "payment_id": str(payment.pk)})
    Payment.objects.filter(pk=payment.pk, stripe_payment_intent_id__isnull=True).update(
        stripe_payment_intent_id=intent.id, status=PaymentStatus.REQUIRES_PAYMENT)
    payment.stripe_payment_intent_id = intent.id
    return intent


# --- What Stripe tells us (webhook and return page) -----------------------------------------

def sync_payment(*, payment: Payment, now: datetime) -> Payment:
    """Ask Stripe about this payment now (the return page), then act as the webhook would."""
    try:
        intent = stripe.retrieve_payment_intent(payment.stripe_payment_intent_id)
    except stripe.StripeUnavailable as error:
        raise PaymentError(STRIPE_DOWN) from error
    apply_intent(intent, now=now)
    payment.refresh_from_db()
    return payment


def apply_intent(intent: stripe.Intent, *, now: datetime) -> None:
    if intent.status == "succeeded":
        payment_succeeded(intent_id=intent.id, amount_cents=intent.amount_cents, currency=intent.currency,
                          charge_id=intent.charge_id, now=now)
    elif intent.status == "processing":
        payment_processing(intent_id=intent.id)
    elif intent.status == "requires_payment_method" and intent.error_message:
        payment_failed(intent_id=intent.id, error_message=intent.error_message)


def payment_succeeded(*, intent_id: str, amount_cents: int, charge_id: str, now: datetime,
                      currency: str = stripe.CURRENCY) -> Payment | None:
    """The money is ours: confirm the booking, or refund it (too late, dates gone, the
    booking was already paid by another PaymentIntent, or Stripe received another amount or
    currency than we asked). Safe to call any number of times. The webhook and the return
    page both come here, so they always decide alike."""
    payment = Payment.objects.filter(stripe_payment_intent_id=intent_id).first()
    if payment is None:
        log.warning("payment_intent %s succeeded but is not ours", intent_id)
        return None
    if amount_cents <= 0:  # Stripe never reports that; a malformed event (payouts/webhooks.py records it)
        log.error("payment_intent %s succeeded with %s received: ignored", intent_id, amount_cents)
        return None
    payment, first_time = _mark_succeeded(payment, amount_cents=amount_cents, currency=currency, charge_id=charge_id,
                                          now=now)
    if payment.amount_mismatch:
        _mismatch_refunded(payment, now=now)
        return payment
    if payment.is_duplicate:
        ledger.post_payment(payment=payment, now=now)  # owed back: refunds_due
        _refund_whole(payment, RefundReason.DUPLICATE, f"duplicate:{payment.pk}", now=now)
        return payment
    booking = Booking.objects.get(pk=payment.booking_id)
    if not first_time and (booking.paid_at is not None or payment.refunds.exists()):
        ledger.post_payment(payment=payment, now=now)  # no-op unless an earlier call stopped short of it
        return payment  # handled on an earlier call
    paid = from_cents(payment.amount_cents)
    confirmed = bookings.confirm_payment(booking=booking, amount_paid=paid, now=now)
    ledger.post_payment(payment=payment, now=now)  # before any refund of it is posted
    if not confirmed:
        _refund_whole(payment, RefundReason.LATE_PAYMENT, f"late:{payment.pk}", now=now)
    return payment


def check_received(payment: Payment, *, amount_cents: int, currency: str) -> str:
    """What differs between what Stripe received and what this payment asked ('' when
    nothing does). A booking is confirmed only for exactly its amount, in its currency."""
    differences = []
    if currency.lower() != payment.currency.lower():
        differences.append(f"devise {currency.upper() or '?'} au lieu de {payment.currency.upper()}")
    if amount_cents != payment.amount_cents:
        differences.append(f"montant {amount_cents} au lieu de {payment.amount_cents} (plus petite unité)")
    return ", ".join(differences)


def _mark_succeeded(payment: Payment, *, amount_cents: int, currency: str, charge_id: str,
                    now: datetime) -> tuple[Payment, bool]:
    """Record the success once. Locks the booking, then the payment (docs/locks.md), so two
    PaymentIntents of one booking succeeding together see each other: the second is a
    duplicate. A success for another amount or currency is recorded as a mismatch: the row
    then holds what was received (what the refund gives back), and what was asked."""
    with transaction.atomic():
        lock_booking(payment.booking_id)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status == PaymentStatus.SUCCEEDED:
            return payment, False
        difference = check_received(payment, amount_cents=amount_cents, currency=currency)
        if difference:
            payment.amount_mismatch = True
            payment.asked_amount_cents, payment.asked_currency = payment.amount_cents, payment.currency
            payment.currency = currency.lower()[:3]
        payment.is_duplicate = not difference and Payment.objects.filter(
            booking_id=payment.booking_id, status=PaymentStatus.SUCCEEDED, is_duplicate=False,
            amount_mismatch=False).exists()  # a mismatched success never paid the booking
        payment.status, payment.succeeded_at = PaymentStatus.SUCCEEDED, now
        payment.error_message = difference[:500]
        payment.amount_cents, payment.stripe_charge_id = amount_cents, charge_id
        payment.save(update_fields=["status", "succeeded_at", "error_message", "amount_cents", "currency",
                                    "stripe_charge_id", "is_duplicate", "amount_mismatch", "asked_amount_cents",
                                    "asked_currency", "updated_at"])
    if payment.is_duplicate:
        log.warning("booking %s paid twice: %s will be refunded", payment.booking_id, payment)
    if payment.amount_mismatch:
        log.error("payment %s: Stripe received %s; refunded, booking not confirmed", payment, payment.error_message)
    return payment, True


def _mismatch_refunded(payment: Payment, *, now: datetime) -> None:
    """Another amount or currency than asked: never the booking's money. Posted as owed back
    (refunds_due, euros only: payouts/ledger.py), refunded in full, staff told once."""
    ledger.post_payment(payment=payment, now=now)
    _refund_whole(payment, RefundReason.AMOUNT_MISMATCH, f"mismatch:{payment.pk}", now=now)
    transaction.on_commit(lambda: alert_staff_mismatch(payment_id=payment.pk, now=now))  # once: staff_alerted_at


def alert_staff_mismatch(*, payment_id: int, now: datetime) -> None:
    """An email to the team inbox that handles owners' money (STAFF_INBOX_OWNERS, as failed
    payouts in payouts/monthly.py), once; the admin lists the payment (filter "montant
    différent"). A mail server down must not fail the webhook: the admin still shows it."""
    if not Payment.objects.filter(pk=payment_id, staff_alerted_at__isnull=True).update(staff_alerted_at=now):
        return
    payment = Payment.objects.select_related("booking").get(pk=payment_id)
    asked = f"{payment.asked_amount_cents} {payment.asked_currency.upper()}"
    received = f"{payment.amount_cents} {payment.currency.upper()}"
    try:
        send_mail(f"[Alma Heritage] Paiement {payment} : montant reçu différent du montant demandé",
                  f"Réservation {payment.booking.reference} : Stripe a reçu {received} (plus petite unité) "
                  f"au lieu de {asked}.\n"
                  f"La réservation n'est pas confirmée et le paiement est remboursé en entier.\n"
                  f"Voir l'administration > Paiements (filtre « montant différent »).\n",
                  None, [settings.STAFF_INBOX_OWNERS])
    except Exception:  # noqa: BLE001 — the alert is also in the admin; never fail the webhook for it
        log.exception("could not email staff about payment %s", payment_id)


def _refund_whole(payment: Payment, reason: str, request_key: str, *, now: datetime) -> None:
    refund = refunds.request_refund(payment=payment, amount_cents=payment.amount_cents, reason=reason,
                                    request_key=request_key)
    # After our transaction (if any) commits: Stripe is never called with rows locked.
    transaction.on_commit(lambda: refunds.attempt_refund(refund_id=refund.pk, now=now))


def payment_failed(*, intent_id: str, error_message: str) -> None:
    """A declined card. The booking does not move: the traveller may try again until the
    deadline. A failure reported after the success (out of order) changes nothing."""
    Payment.objects.filter(stripe_payment_intent_id=intent_id).exclude(
        status__in=(PaymentStatus.SUCCEEDED, PaymentStatus.CANCELED)).update(
        status=PaymentStatus.FAILED, error_message=error_message[:500])


def payment_processing(*, intent_id: str) -> None:
    Payment.objects.filter(stripe_payment_intent_id=intent_id, status__in=OPEN_PAYMENT_STATUSES).update(
        status=PaymentStatus.PROCESSING)


# --- Housekeeping -------------------------------------------------------------------------

def cancel_abandoned_intents(*, batch_size: int = 100) -> int:
    """Cancel at Stripe the open PaymentIntents of bookings that can no longer be paid
    (expired, refused, cancelled), so a payment page left open cannot take money that we
    would only refund. Returns how many were cancelled. A PaymentIntent paid meanwhile
    refuses to be cancelled: the webhook then refunds it as a late payment."""
    abandoned = (Payment.objects.filter(status__in=OPEN_PAYMENT_STATUSES, stripe_payment_intent_id__isnull=False)
                 .exclude(booking__status__in=(BookingStatus.AWAITING_PAYMENT, BookingStatus.CHECKOUT))
                 .order_by("pk"))
    cancelled = 0
    for payment in abandoned[:batch_size]:
        try:
            stripe.cancel_payment_intent(payment.stripe_payment_intent_id)
        except stripe.StripeUnavailable as error:
            log.warning("could not cancel %s: %s", payment.stripe_payment_intent_id, error)
            continue
        cancelled += Payment.objects.filter(pk=payment.pk, status__in=OPEN_PAYMENT_STATUSES).update(
            status=PaymentStatus.CANCELED)
    return cancelled
