"""Money that moves through Stripe: travellers' card payments, their refunds, and the log of
Stripe events we processed. Amounts here are integer cents (as Stripe counts them); the
booking keeps the Decimal euros (bookings.Booking.amount_paid / refunded_amount). A Payment
is always for one booking. Transactions that lock these rows take the booking's lock first,
then payments, then refunds (docs/locks.md).

Owners are paid by separate charges and transfers (docs/payouts.md): the owner's
`ConnectedAccount`, an append-only double-entry ledger (`LedgerTransaction`, `LedgerEntry`)
and one `Payout` (a Stripe Transfer) per owner and month, whose `PayoutLine`s say which
ledger entries it paid."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bookings.models import Booking
from core.money import format_cents


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
    # Stripe said it succeeded for another amount or currency than we asked: refunded in full,
    # never counted on the booking, staff alerted (payouts/services.py check_received).
    # `amount_cents` / `currency` then hold what was received, the asked_* fields what we asked.
    amount_mismatch = models.BooleanField(default=False)
    asked_amount_cents = models.PositiveBigIntegerField(null=True, blank=True)
    asked_currency = models.CharField(max_length=3, blank=True)
    staff_alerted_at = models.DateTimeField(null=True, blank=True)
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

    @property
    def counts_for_booking(self) -> bool:
        """Money the booking may count: not a second payment, not another amount than asked."""
        return not self.is_duplicate and not self.amount_mismatch


class RefundReason(models.TextChoices):
    CANCELLATION = "cancellation", _("Annulation")  # bookings asked (bookings.hooks.refund_owed)
    LATE_PAYMENT = "late_payment", _("Paiement arrivé trop tard")  # confirm_payment said no
    DUPLICATE = "duplicate", _("Paiement en double")  # a second payment of a paid booking
    STRIPE_DASHBOARD = "stripe_dashboard", _("Fait dans Stripe")  # staff refunded in Stripe itself
    AMOUNT_MISMATCH = "amount_mismatch", _("Montant reçu différent du montant demandé")


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


class StripeEventOutcome(models.TextChoices):
    UNPROCESSABLE = "unprocessable", _("Illisible ou inconnu")  # answered 200 so Stripe stops retrying
    AMOUNT_MISMATCH = "amount_mismatch", _("Montant reçu différent")  # refunded, never confirmed


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
    # Empty when handled normally; otherwise what staff must look at (payouts/webhooks.py).
    outcome = models.CharField(max_length=20, choices=StripeEventOutcome.choices, blank=True, db_index=True)
    problem = models.CharField(max_length=500, blank=True)
    payload_excerpt = models.TextField(blank=True)  # the start of an event we could not read

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("événement Stripe")
        verbose_name_plural = _("événements Stripe")

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


# --- Stripe Connect ------------------------------------------------------------------------

class ConnectedAccount(models.Model):
    """The owner's Stripe connected account (Express-like: Stripe collects the requirements and
    hosts the dashboard). What we store is Stripe's answer, refreshed on the return from the
    onboarding and on every `account.updated` event (payouts/connect.py)."""

    owner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="connected_account")
    stripe_account_id = models.CharField(max_length=255, unique=True)
    details_submitted = models.BooleanField(default=False)
    # Stripe's capability status: "inactive", "pending" or "active".
    transfers_capability = models.CharField(max_length=20, default="inactive")
    payouts_enabled = models.BooleanField(default=False)
    requirements_due = models.JSONField(default=list, blank=True)  # requirements.currently_due
    requirements_past_due = models.JSONField(default=list, blank=True)
    requirements_deadline = models.DateTimeField(null=True, blank=True)  # requirements.current_deadline
    disabled_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("compte Stripe Connect")
        verbose_name_plural = _("comptes Stripe Connect")

    def __str__(self) -> str:
        return self.stripe_account_id

    @property
    def can_receive_transfers(self) -> bool:
        """What Stripe needs to accept a Transfer to the account: the `transfers` capability
        active (a disabled account has it inactive)."""
        return self.transfers_capability == "active" and not self.disabled_reason


# --- The ledger -------------------------------------------------------------------------------

class LedgerAccount(models.TextChoices):
    CASH = "cash", _("Solde Stripe de la plateforme")  # what Stripe holds for us
    TRAVELLER_PREPAID = "traveller_prepaid", _("Paiements reçus, prestation à venir")  # held until service_end
    REFUNDS_DUE = "refunds_due", _("À rembourser")  # payments no booking counts (late, duplicate)
    OWNER_PAYABLE = "owner_payable", _("Dû au propriétaire")  # per owner; a debit balance is a debt
    COMMISSION = "commission", _("Commission (TTC)")  # platform revenue, net of the donation share
    DONATION_PAYABLE = "donation_payable", _("Dons à reverser")  # owed to heritage foundations
    VOUCHER_LIABILITY = "voucher_liability", _("Bons cadeaux en circulation")  # sold, not used yet
    TOURIST_TAX_PAYABLE = "tourist_tax_payable", _("Taxe de séjour à reverser")
    DISPUTES = "disputes", _("Litiges en cours")  # amounts Stripe withdrew for an open dispute


class TransactionKind(models.TextChoices):
    PAYMENT = "payment", _("Paiement reçu")
    REFUND = "refund", _("Remboursement")
    BOOKING_ENDED = "booking_ended", _("Prestation terminée")
    PAYOUT_SENT = "payout_sent", _("Virement envoyé")
    PAYOUT_REVERSED = "payout_reversed", _("Virement annulé")
    TRANSFER_REVERSAL = "transfer_reversal", _("Reprise sur virement")
    DEBT_CARRIED = "debt_carried", _("Dette reportée")
    DISPUTE = "dispute", _("Litige")
    ADJUSTMENT = "adjustment", _("Correction")
    TOURIST_TAX = "tourist_tax", _("Taxe de séjour collectée")  # at the end of a stay (docs/tourist-tax.md)


class AppendOnlyQuerySet(models.QuerySet):
    """Ledger rows are written once: a correction is a new transaction, never an edit."""

    def update(self, **kwargs):
        raise LedgerImmutable(f"{self.model.__name__} rows are never updated")

    def delete(self):
        raise LedgerImmutable(f"{self.model.__name__} rows are never deleted")


class LedgerImmutable(Exception):
    pass


class AppendOnly(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise LedgerImmutable(f"{type(self).__name__} rows are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise LedgerImmutable(f"{type(self).__name__} rows are never deleted")


class LedgerTransaction(AppendOnly):
    """One money event, balanced (its entries sum to zero). `key` names what caused it
    ("payment:<pi>", "refund:<id>", "ended:<booking>", "payout:<id>:sent"…), unique, so the
    same event is never posted twice."""

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=TransactionKind.choices)
    booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="ledger_transactions")
    payout = models.ForeignKey("Payout", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="ledger_transactions")
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    memo = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("écriture comptable")
        verbose_name_plural = _("journal")
        indexes = [models.Index(fields=["booking", "kind"], name="ledger_tx_booking_kind")]

    def __str__(self) -> str:
        return self.key


class LedgerEntry(AppendOnly):
    """One side of a transaction: debit > 0, credit < 0, in cents. An `owner_payable` entry
    names its owner; entries about a booking name it (statements read them)."""

    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="entries")
    account = models.CharField(max_length=24, choices=LedgerAccount.choices)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="ledger_entries")
    booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="ledger_entries")
    amount_cents = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("ligne d'écriture")
        verbose_name_plural = _("lignes d'écriture")
        constraints = [
            models.CheckConstraint(condition=~Q(amount_cents=0), name="ledger_entry_not_zero"),
            models.CheckConstraint(condition=Q(account="owner_payable", owner__isnull=False) | ~Q(account="owner_payable"),
                                   name="ledger_owner_payable_has_owner"),
        ]
        indexes = [
            models.Index(fields=["account", "owner"], name="ledger_entry_owner"),
            models.Index(fields=["booking", "account"], name="ledger_entry_booking"),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.amount_cents:+d}"


# --- Monthly payouts ----------------------------------------------------------------------------

class PayoutStatus(models.TextChoices):
    PENDING = "pending", _("En cours")  # written with its lines; the Stripe transfer is not confirmed yet
    SENT = "sent", _("Versé")  # Stripe accepted the transfer; posted to the ledger
    FAILED = "failed", _("Échoué")  # the transfer failed for good; staff alerted; lines released, money payable
    WAITING_ONBOARDING = "waiting_onboarding", _("En attente de Stripe Connect")  # payable, account not ready
    NOTHING_DUE = "nothing_due", _("Rien à verser")  # earnings and debts net to zero or less (debt carried)
    HELD = "held", _("Retenu")  # deleted owner without an account on record: staff decide


class Payout(models.Model):
    """What one owner is paid on the 1st of `month`: one Stripe Transfer at most, unique per
    (owner, month). Its amount is the sum of its lines."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payouts")
    month = models.DateField()  # the 1st of the month it is paid in
    status = models.CharField(max_length=20, choices=PayoutStatus.choices, default=PayoutStatus.PENDING)
    amount_cents = models.BigIntegerField(default=0)
    stripe_account_id = models.CharField(max_length=255, blank=True)  # destination, frozen when written
    transfer_group = models.CharField(max_length=100, blank=True)
    stripe_transfer_id = models.CharField(max_length=255, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Bumped when a failed payout is written again: the Stripe idempotency key changes with it.
    generation = models.PositiveSmallIntegerField(default=0)
    attempted_at = models.DateTimeField(null=True, blank=True)  # a lease on the Stripe call
    last_error = models.CharField(max_length=500, blank=True)
    staff_alerted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month", "owner_id"]
        verbose_name = _("versement")
        verbose_name_plural = _("versements")
        constraints = [models.UniqueConstraint(fields=["owner", "month"], name="payout_one_per_owner_and_month")]
        indexes = [models.Index(fields=["status", "month"], name="payout_status_month")]

    def __str__(self) -> str:
        return f"{self.owner_id} {self.month:%Y-%m}"

    written_now = False  # set by payouts.monthly on the instance that wrote the row (holds the lease)

    @property
    def idempotency_key(self) -> str:
        return f"alma-payout-{self.pk}" + (f"-g{self.generation}" if self.generation else "")


class PayoutLineKind(models.TextChoices):
    EARNING = "earning", _("Gain")  # owner's net of a booking that ended
    VOUCHER_COMPLEMENT = "voucher_complement", _("Complément bon cadeau")
    DEBT = "debt", _("Dette")  # a refund or a lost dispute after the booking was paid out
    REVERSAL_RECOVERED = "reversal_recovered", _("Récupéré par reprise sur virement")
    DEBT_CARRIED = "debt_carried", _("Dette reportée")
    ADJUSTMENT = "adjustment", _("Correction")


class PayoutLine(models.Model):
    """One owner_payable entry settled by a payout. `amount_cents` = −entry: positive is paid to
    the owner. An entry is in one live line at most (a failed payout releases its lines)."""

    payout = models.ForeignKey(Payout, on_delete=models.PROTECT, related_name="lines")
    entry = models.ForeignKey(LedgerEntry, on_delete=models.PROTECT, related_name="payout_lines")
    booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.PROTECT, related_name="payout_lines")
    kind = models.CharField(max_length=20, choices=PayoutLineKind.choices)
    amount_cents = models.BigIntegerField()
    released = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("ligne de versement")
        verbose_name_plural = _("lignes de versement")
        constraints = [models.UniqueConstraint(fields=["entry"], condition=Q(released=False),
                                               name="payout_line_entry_paid_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {format_cents(self.amount_cents)}"


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Ouvert")  # Stripe withdrew the amount while the bank decides
    WON = "won", _("Gagné")  # the money came back
    LOST = "lost", _("Perdu")  # the money is gone: like a refund (a debt if the owner was paid)


class Dispute(models.Model):
    """A chargeback on one of our payments (`charge.dispute.*`), posted to the ledger."""

    stripe_dispute_id = models.CharField(max_length=255, unique=True)
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="disputes")
    amount_cents = models.PositiveBigIntegerField()
    reason = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=10, choices=DisputeStatus.choices, default=DisputeStatus.OPEN)
    stripe_status = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("litige")
        verbose_name_plural = _("litiges")

    def __str__(self) -> str:
        return self.stripe_dispute_id
