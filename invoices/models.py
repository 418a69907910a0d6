"""Commission invoices and credit notes (docs/invoices.md).

A document is written once, with its lines, in the transaction that takes its number
(invoices.numbering) and is never changed afterwards: `save()` on an existing row, `delete()`,
and queryset `update()` / `delete()` raise `ImmutableDocument`; on PostgreSQL a trigger
refuses UPDATE and DELETE too (migration 0002). A correction is a credit note citing the
invoice it corrects. Everything printed is copied onto the row when issued (seller, buyer,
lines, totals), so editing the settings or a billing address never rewrites a past document.
Amounts are integer cents, TTC = HT + VAT on every line and in the totals."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bookings.models import Booking


class ImmutableDocument(Exception):
    """An issued invoice or credit note was about to be changed or deleted."""


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableDocument("issued invoices are never updated; issue a credit note")

    def delete(self):
        raise ImmutableDocument("issued invoices are never deleted; issue a credit note")


class Immutable(models.Model):
    """Insert once, never update or delete (the ORM side of the rule; migration 0002 adds the
    database side on PostgreSQL)."""

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableDocument(f"{self._meta.verbose_name} {self.pk} is issued and cannot change")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableDocument(f"{self._meta.verbose_name} {self.pk} is issued and cannot be deleted")


class DocumentSequence(models.Model):
    """The counter of one numbering sequence. Whoever issues a document locks this row, takes
    `last_number + 1` and writes the document in the same transaction: a rollback gives the
    number back, two issuers wait for each other, so numbers have no gap and no duplicate."""

    name = models.CharField(max_length=40, unique=True)
    last_number = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("séquence de numérotation")
        verbose_name_plural = _("séquences de numérotation")

    def __str__(self) -> str:
        return f"{self.name}: {self.last_number}"


class DocumentKind(models.TextChoices):
    INVOICE = "invoice", _("Facture")  # the month's commission on the owner's ended bookings
    CREDIT_NOTE = "credit_note", _("Avoir")  # cancels all or part of one issued invoice


class Settlement(models.TextChoices):
    # The commission was kept from the month's transfer, already sent: "Facture acquittée".
    PAID = "paid", _("Acquittée par compensation sur le virement")
    # No transfer went out (Stripe onboarding unfinished, transfer pending or failed): the
    # commission will be kept from the next one.
    NEXT_TRANSFER = "next_transfer", _("À régler par compensation sur le prochain virement")


class Invoice(Immutable):
    kind = models.CharField(_("type"), max_length=12, choices=DocumentKind.choices)
    # Position in the one continuous sequence shared by invoices and credit notes.
    sequence_number = models.PositiveBigIntegerField(unique=True)
    number = models.CharField(_("numéro"), max_length=32, unique=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="commission_invoices", verbose_name=_("propriétaire"))
    # The month of the payout this document goes with: its 1st (payouts.Payout.month).
    month = models.DateField(_("mois"))
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="credit_notes", verbose_name=_("facture corrigée"))
    reason = models.CharField(_("motif"), max_length=300, blank=True)
    issued_at = models.DateTimeField(_("émise le"))
    issue_date = models.DateField(_("date d'émission"))  # in Paris
    # Copies at the time of issue (see the module docstring).
    seller = models.JSONField(_("vendeur"))
    buyer_name = models.CharField(_("client"), max_length=200)
    buyer_address = models.TextField(_("adresse du client"), blank=True)  # empty: none was given
    buyer_vat_number = models.CharField(_("TVA du client"), max_length=20, blank=True)
    vat_rate = models.DecimalField(_("taux de TVA"), max_digits=5, decimal_places=4)
    total_ht_cents = models.BigIntegerField()
    total_vat_cents = models.BigIntegerField()
    total_ttc_cents = models.BigIntegerField()
    settlement = models.CharField(_("règlement"), max_length=16, choices=Settlement.choices)
    transfer_reference = models.CharField(_("virement"), max_length=255, blank=True)

    class Meta:
        ordering = ["-sequence_number"]
        verbose_name = _("facture de commission")
        verbose_name_plural = _("factures de commission")
        constraints = [
            # One commission invoice per owner and month, whoever runs the job and how often.
            models.UniqueConstraint(fields=["owner", "month"], condition=Q(kind="invoice"),
                                    name="one_commission_invoice_per_owner_month"),
            models.CheckConstraint(condition=Q(total_ttc_cents__gt=0), name="invoice_total_positive"),
            models.CheckConstraint(condition=Q(total_ttc_cents=F("total_ht_cents") + F("total_vat_cents")),
                                   name="invoice_ttc_is_ht_plus_vat"),
            models.CheckConstraint(condition=Q(kind="invoice", corrects__isnull=True)
                                   | Q(kind="credit_note", corrects__isnull=False),
                                   name="credit_note_cites_an_invoice"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_credit_note(self) -> bool:
        return self.kind == DocumentKind.CREDIT_NOTE

    @property
    def buyer_address_lines(self) -> list[str]:
        return [line for line in self.buyer_address.splitlines() if line.strip()]


class InvoiceLine(Immutable):
    """One booking's commission (or its correction, on a credit note)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    position = models.PositiveSmallIntegerField()
    booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="commission_lines")
    booking_reference = models.CharField(_("réservation"), max_length=12, blank=True)
    description = models.CharField(_("prestation"), max_length=300)
    # What the commission was computed on: the amount the traveller's booking kept.
    base_cents = models.BigIntegerField()
    ht_cents = models.BigIntegerField()
    vat_cents = models.BigIntegerField()
    ttc_cents = models.BigIntegerField()
    # What this line bills (the ledger transaction of the booking, or "credit:<line>" for a
    # staff credit note), unique: nothing is ever invoiced, or credited, twice.
    source_key = models.CharField(max_length=160, unique=True)

    class Meta:
        ordering = ["invoice", "position"]
        verbose_name = _("ligne de facture")
        verbose_name_plural = _("lignes de facture")
        constraints = [
            models.UniqueConstraint(fields=["invoice", "position"], name="invoice_line_position"),
            models.CheckConstraint(condition=Q(ttc_cents=F("ht_cents") + F("vat_cents")),
                                   name="invoice_line_ttc_is_ht_plus_vat"),
            models.CheckConstraint(condition=Q(ttc_cents__gt=0), name="invoice_line_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.invoice.number} #{self.position}"


class MonthlyNotice(models.Model):
    """The owner's email of the 1st (statement + invoice), sent once per owner and month:
    the row is locked while sending and `sent_at` says it went (invoices.emails)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="monthly_notices")
    month = models.DateField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("envoi mensuel")
        verbose_name_plural = _("envois mensuels")
        constraints = [models.UniqueConstraint(fields=["owner", "month"], name="one_monthly_notice_per_owner")]

    def __str__(self) -> str:
        return f"{self.owner_id} {self.month:%Y-%m}"
