"""Gift vouchers (docs/vouchers.md). Amounts are integer cents, like payouts'.

A `VoucherOrder` is a sale by card (its own PaymentIntent); once paid it issues one `Voucher`.
Staff may also issue a voucher by hand (a complaint): no order then. A voucher's code is
never stored: only its HMAC-SHA256 (`code_hash`, keyed by settings.VOUCHER_CODE_KEY) and its
last four characters for staff (`code_last4`). The code is made when the voucher is delivered
to its recipient (at once, or on the chosen day).

`balance_cents` is what can still be spent: a booking's checkout takes from it at once (a
`VoucherRedemption` held with the booking's hold), gives it back if the hold lapses, keeps it
once the booking is paid, and a cancellation gives back the voucher part the policy refunds.
The database refuses a negative balance (CHECK), so two tabs spending one code at once can
never overspend it; `VoucherEvent` is the history staff read."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bookings.models import Booking


class OrderStatus(models.TextChoices):
    PENDING = "pending", _("En attente du paiement")
    PAID = "paid", _("Payé")
    FAILED = "failed", _("Paiement refusé")  # the last card attempt failed; the buyer may try again
    MISMATCH = "mismatch", _("Montant reçu différent")  # never issues a voucher; staff refund it


class VoucherOrder(models.Model):
    """Someone buys a gift voucher for someone else."""

    reference = models.CharField(_("référence"), max_length=12, unique=True)
    # The buyer's page (payment, receipt) is reached by this secret, so a buyer need not log in.
    access_token = models.CharField(max_length=64, unique=True)
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="voucher_orders")
    buyer_name = models.CharField(_("nom de l'acheteur"), max_length=150)
    buyer_email = models.EmailField(_("e-mail de l'acheteur"))
    buyer_language = models.CharField(max_length=10, default="fr")
    recipient_name = models.CharField(_("nom du bénéficiaire"), max_length=150)
    recipient_email = models.EmailField(_("e-mail du bénéficiaire"))
    recipient_language = models.CharField(_("langue du bon"), max_length=10, default="fr")
    message = models.TextField(_("message"), blank=True, max_length=600)
    deliver_on = models.DateField(_("date d'envoi"), null=True, blank=True)  # None: at once
    amount_cents = models.PositiveIntegerField(_("montant"))
    status = models.CharField(_("statut"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.PENDING)
    stripe_payment_intent_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    error_message = models.CharField(max_length=500, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("achat de bon cadeau")
        verbose_name_plural = _("achats de bons cadeaux")
        constraints = [models.CheckConstraint(condition=Q(amount_cents__gt=0), name="voucher_order_amount_positive")]

    def __str__(self) -> str:
        return self.reference

    @property
    def idempotency_key(self) -> str:
        return f"alma-voucher-order-{self.pk}-{self.reference}"


class VoucherStatus(models.TextChoices):
    ACTIVE = "active", _("Actif")
    CANCELLED = "cancelled", _("Annulé")  # by staff; its balance can no longer be spent


class Voucher(models.Model):
    order = models.OneToOneField(VoucherOrder, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="voucher")
    code_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)  # None until delivered
    code_last4 = models.CharField(_("fin du code"), max_length=4, blank=True)
    amount_cents = models.PositiveIntegerField(_("montant initial"))
    balance_cents = models.IntegerField(_("solde"))
    status = models.CharField(_("statut"), max_length=12, choices=VoucherStatus.choices, default=VoucherStatus.ACTIVE)
    recipient_name = models.CharField(_("bénéficiaire"), max_length=150)
    recipient_email = models.EmailField(_("e-mail du bénéficiaire"))
    recipient_language = models.CharField(max_length=10, default="fr")
    message = models.TextField(_("message"), blank=True, max_length=600)
    deliver_on = models.DateField(_("date d'envoi"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    expires_at = models.DateTimeField(_("valable jusqu'au"), null=True, blank=True)  # set when delivered
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="vouchers_issued")
    issue_reason = models.CharField(_("motif"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("bon cadeau")
        verbose_name_plural = _("bons cadeaux")
        constraints = [
            models.CheckConstraint(condition=Q(balance_cents__gte=0), name="voucher_balance_not_negative"),
            models.CheckConstraint(condition=Q(balance_cents__lte=F("amount_cents")),
                                   name="voucher_balance_within_amount"),
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="voucher_amount_positive"),
        ]
        indexes = [models.Index(fields=["recipient_email"], name="voucher_recipient"),
                   models.Index(fields=["delivered_at", "deliver_on"], name="voucher_delivery"),
                   models.Index(fields=["expires_at"], name="voucher_expiry")]

    def __str__(self) -> str:
        return self.masked_code

    @property
    def masked_code(self) -> str:
        return f"••••-••••-••••-{self.code_last4}" if self.code_last4 else str(_("(pas encore envoyé)"))

    @property
    def is_delivered(self) -> bool:
        return self.delivered_at is not None


class RedemptionStatus(models.TextChoices):
    HELD = "held", _("Réservé")  # with the booking's hold, not paid yet
    USED = "used", _("Utilisé")  # the booking is paid
    RELEASED = "released", _("Libéré")  # the hold lapsed (or the code was removed): back to the balance


class VoucherRedemption(models.Model):
    """What one voucher pays of one booking. `restored_cents`: given back to the voucher by a
    cancellation (the policy's voucher part)."""

    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="redemptions")
    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="voucher_redemptions")
    amount_cents = models.PositiveIntegerField()
    restored_cents = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=RedemptionStatus.choices, default=RedemptionStatus.HELD)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("utilisation de bon cadeau")
        verbose_name_plural = _("utilisations de bons cadeaux")
        constraints = [
            models.CheckConstraint(condition=Q(amount_cents__gt=0), name="redemption_amount_positive"),
            models.CheckConstraint(condition=Q(restored_cents__lte=F("amount_cents")),
                                   name="redemption_restored_within_amount"),
            # One live use of a voucher per booking (a released one may be followed by another).
            models.UniqueConstraint(fields=["voucher", "booking"], condition=~Q(status="released"),
                                    name="redemption_one_live_per_booking"),
        ]

    def __str__(self) -> str:
        return f"{self.voucher} → {self.booking} ({self.amount_cents / 100:.2f} €)"


class EventKind(models.TextChoices):
    ISSUED = "issued", _("Émis")
    DELIVERED = "delivered", _("Envoyé au bénéficiaire")
    RESERVED = "reserved", _("Réservé pour une réservation")
    RELEASED = "released", _("Réservation libérée")
    USED = "used", _("Utilisé")
    RESTORED = "restored", _("Recrédité après annulation")
    EXTENDED = "extended", _("Validité prolongée")
    CANCELLED = "cancelled", _("Annulé par l'équipe")
    CODE_REISSUED = "code_reissued", _("Nouveau code envoyé")


class VoucherEvent(models.Model):
    voucher = models.ForeignKey(Voucher, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    amount_cents = models.IntegerField(default=0)  # change of the balance (+ back, − taken)
    balance_after_cents = models.IntegerField(default=0)
    booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("événement de bon cadeau")
        verbose_name_plural = _("historique des bons cadeaux")

    def __str__(self) -> str:
        return f"{self.voucher} : {self.get_kind_display()}"
