"""Money that moves through Stripe: travellers' card payments, their refunds, and the log of
Stripe events we processed. Amounts here are integer cents (as Stripe counts them); the
booking keeps the Decimal euros (bookings.Booking.amount_paid / refunded_amount). A Payment
is always for one booking. Transactions that lock these rows take the booking's lock first,
then payments, then refunds (docs/locks.md)."""
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bookings.models import Booking


class PaymentStatus(models.TextChoices):
    NEW = "new", _("Créé")  # our row exists, the PaymentIntent not yet (Stripe unreachable): retried
    REQUIRES_PAYMENT = "requires_payment", _("En attente de la carte")  # PaymentIntent open
    PROCESSING = "processing", _("En cours")  # Stripe is processing the card
    FAILED = "failed", _("Refusé")  # last attempt declined; the traveller may try again
    SUCCEEDED = "succeeded", _("Payé")  # the money is ours; final (refunds are Refund rows)
    CANCELED = "canceled", _("Abandonné")  # replaced (amount changed) or no longer payable


# Payments whose PaymentIntent can still take a card.
OPEN_PAYMENT_STATUSES = (PaymentStatus.NEW, PaymentStatus.REQUIRES_PAYMENT, PaymentStatus.FAILED)


class Payment(models.Model):
    """One PaymentIntent for one booking. Several may exist (a new one when the amount due
    changes); at most one should succeed, and a second success is refunded as a duplicate."""

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="payments")
    # Null only while Stripe has not answered yet; the idempotency key is built from our pk.
    stripe_payment_intent_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    stripe_charge_id = models.CharField(max_length=255, blank=True)
    amount_cents = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3, default="eur")
    status = models.CharField(max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.NEW)
    error_message = models.CharField(max_length=500, blank=True)
    refunded_cents = models.PositiveBigIntegerField(default=0)
    # A second success for an already paid booking: refunded in full, never counted as paid.
    is_duplicate = models.BooleanField(default=False)
    succeeded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(condition=Q(refunded_cents__lte=F("amount_cents")),
                                   name="payment_refunds_within_amount"),
        ]

    def __str__(self) -> str:
        return self.stripe_payment_intent_id or f"payment #{self.pk}"

    @property
    def idempotency_key(self) -> str:
        # Our pk, plus the booking's random reference: two databases sharing one Stripe test
        # account (dev, staging) never collide on "payment 1".
        return f"alma-payment-{self.pk}-{self.booking.reference}"


class RefundReason(models.TextChoices):
    CANCELLATION = "cancellation", _("Annulation")  # bookings asked (bookings.hooks.refund_owed)
    LATE_PAYMENT = "late_payment", _("Paiement arrivé trop tard")  # confirm_payment said no
    DUPLICATE = "duplicate", _("Paiement en double")  # a second payment of a paid booking
    STRIPE_DASHBOARD = "stripe_dashboard", _("Fait dans Stripe")  # staff refunded in Stripe itself


class RefundStatus(models.TextChoices):
    PENDING = "pending", _("À faire")  # decided; Stripe not reached yet (retried by retry_refunds)
    SUCCEEDED = "succeeded", _("Remboursé")  # Stripe refunded and the booking recorded it
    FAILED = "failed", _("Échoué")  # Stripe refused for good: staff must look


class Refund(models.Model):
    """Money given back on one payment. The row is written before Stripe is called, so the
    idempotency key (`alma-refund-<pk>-<PaymentIntent>`) survives a crash between the two."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    stripe_refund_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    amount_cents = models.PositiveBigIntegerField()
    reason = models.CharField(max_length=20, choices=RefundReason.choices)
    status = models.CharField(max_length=20, choices=RefundStatus.choices, default=RefundStatus.PENDING)
    # What this refund is for, unique so the same decision never refunds twice
    # ("cancellation:<booking>:<payment>", "late:<payment>", "duplicate:<payment>", "stripe:<re_…>").
    request_key = models.CharField(max_length=120, unique=True)
    error_message = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # A lease: whoever sets it calls Stripe; nobody else tries again before RETRY_AFTER.
    attempted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("remboursement")
        verbose_name_plural = _("remboursements")
        constraints = [models.CheckConstraint(condition=Q(amount_cents__gt=0), name="refund_amount_positive")]
        indexes = [models.Index(fields=["status", "created_at"], name="refund_status")]

    def __str__(self) -> str:
        return self.stripe_refund_id or f"refund #{self.pk}"


class StripeEvent(models.Model):
    """Each Stripe event id is handled once: the row is claimed (unique event id) before its
    handler runs and marked processed after, in no common transaction. A duplicate delivery
    of a processed event finds it and does nothing; an event whose processing was interrupted
    is processed again, which is safe because every handler is idempotent (payouts/webhooks.py)."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=255, blank=True, db_index=True)  # the PaymentIntent, charge…
    received_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("événement Stripe")
        verbose_name_plural = _("événements Stripe")

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"
