from datetime import UTC, datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.dates import paris_midnight
from experiences.models import Session
from lodgings.models import Unit
from touristtax import services as tourist_tax


class BookingKind(models.TextChoices):
    STAY = "stay", _("Séjour")
    EXPERIENCE = "experience", _("Expérience")


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("En attente de réponse")  # request sent; dates held; owner answers by respond_by
    AWAITING_PAYMENT = "awaiting_payment", _("En attente de paiement")  # accepted; traveller pays by pay_by
    CHECKOUT = "checkout", _("Paiement en cours")  # instant booking: dates held until hold_until
    CONFIRMED = "confirmed", _("Confirmée")  # paid
    REFUSED = "refused", _("Refusée")  # owner said no; dates freed
    EXPIRED = "expired", _("Expirée")  # a deadline passed (answer, payment or checkout); dates freed
    CANCELLED = "cancelled", _("Annulée")  # cancelled after confirmation (see cancelled_by); refund per policy


# Statuses that hold the unit's nights or the session's places.
LIVE_STATUSES = (BookingStatus.REQUESTED, BookingStatus.AWAITING_PAYMENT, BookingStatus.CHECKOUT,
                 BookingStatus.CONFIRMED)


class CancelledBy(models.TextChoices):
    TRAVELLER = "traveller", _("Voyageur")
    OWNER = "owner", _("Propriétaire")
    STAFF = "staff", _("Équipe Alma Heritage")


class Booking(models.Model):
    """A stay on a unit [arrival, departure), or places in an experience session (then
    arrival is the session's day in Europe/Paris and departure the day after)."""

    reference = models.CharField(_("référence"), max_length=12, unique=True)
    kind = models.CharField(_("type"), max_length=12, choices=BookingKind.choices)
    traveller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="trips")
    # Denormalised from the offer so the owner's lists filter on one indexed column.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookings_received")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings")
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings")
    arrival = models.DateField(_("arrivée"))
    departure = models.DateField(_("départ"))
    adults = models.PositiveSmallIntegerField(_("adultes"), default=1)
    children = models.PositiveSmallIntegerField(_("enfants"), default=0)
    status = models.CharField(_("statut"), max_length=20, choices=BookingStatus.choices, db_index=True)
    cancelled_by = models.CharField(_("annulée par"), max_length=10, choices=CancelledBy.choices, blank=True)
    # Deadlines are columns (UTC), swept by `expire_bookings`; checked again at each action.
    respond_by = models.DateTimeField(_("réponse attendue avant"), null=True, blank=True)
    pay_by = models.DateTimeField(_("paiement attendu avant"), null=True, blank=True)
    hold_until = models.DateTimeField(_("dates retenues jusqu'à"), null=True, blank=True)
    message = models.TextField(_("message du voyageur"), blank=True, max_length=3000)
    refusal_reason = models.TextField(_("motif du refus"), blank=True, max_length=2000)
    # Money (EUR, two decimals), frozen when the booking is made; see `bookings.pricing`.
    total_price = models.DecimalField(_("prix total"), max_digits=12, decimal_places=2)
    price_lines = models.JSONField(_("détail du prix"), default=list)
    voucher_amount = models.DecimalField(_("payé par bon cadeau"), max_digits=12, decimal_places=2,
                                         default=Decimal("0"))
    amount_paid = models.DecimalField(_("payé par carte"), max_digits=12, decimal_places=2, default=Decimal("0"))
    refunded_amount = models.DecimalField(_("remboursé"), max_digits=12, decimal_places=2, default=Decimal("0"))
    # Frozen when paid (docs/product.md#money): rate, our commission, the owner's net, the donation share.
    commission_rate = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    commission_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    owner_net = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    donation_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    # When the service is over (UTC), frozen at creation (`service_end_of`): the owner's
    # earnings become payable on the 1st of the month after it (payouts/monthly.py).
    service_end = models.DateTimeField(_("fin de la prestation"))
    # The owner is reminded once, 24 h before respond_by (see services.expire_overdue).
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("réservation")
        verbose_name_plural = _("réservations")
        constraints = [
            models.CheckConstraint(condition=Q(departure__gt=F("arrival")), name="booking_dates_ordered"),
            models.CheckConstraint(
                condition=(Q(kind="stay", unit__isnull=False, session__isnull=True)
                           | Q(kind="experience", unit__isnull=True, session__isnull=False)),
                name="booking_targets_unit_or_session"),
            models.CheckConstraint(condition=Q(total_price__gte=0) & Q(refunded_amount__gte=0)
                                   & Q(voucher_amount__gte=0) & Q(amount_paid__gte=0),
                                   name="booking_money_not_negative"),
            models.CheckConstraint(condition=Q(adults__gte=1), name="booking_at_least_one_adult"),
            # The PostgreSQL exclusion constraint on live stays is in migration 0003_live_stays_never_overlap.
        ]
        indexes = [
            # The "À venir" list in its order (owner, status, arrival), and every filter tab's
            # count from the index alone (selectors.filter_counts reads status, arrival,
            # departure and refunded_amount of the owner's bookings: an index-only scan).
            models.Index(fields=["owner", "status", "arrival", "departure"], include=["refunded_amount"],
                         name="booking_owner_list"),
            # The owner's "Toutes" list in its order (selectors.FILTER_ORDERING): PostgreSQL reads
            # 25 rows of the index instead of sorting every booking of the owner (17 → 0.2 ms).
            models.Index(F("owner"), F("created_at").desc(), F("id").desc(), name="booking_owner_recent"),
            models.Index(fields=["unit", "arrival", "departure"], name="booking_unit_dates"),
            models.Index(fields=["status", "respond_by"], name="booking_respond_by"),
            models.Index(fields=["status", "pay_by"], name="booking_pay_by"),
            models.Index(fields=["status", "hold_until"], name="booking_hold_until"),
            models.Index(fields=["service_end"], name="booking_service_end"),
            # Paiements' "à venir" table (invoices/selectors.py): paid stays not yet ended, in
            # the order of their end; its 20 rows read from here instead of sorting all the
            # owner's paid bookings (4.7 → 0.3 ms at 3,300 of them), its count index-only.
            models.Index(fields=["owner", "service_end", "id"], name="booking_owner_earning",
                         condition=Q(status=BookingStatus.CONFIRMED, paid_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs) -> None:
        if self.service_end is None:  # every way of creating a booking freezes it (services, admin, seeds)
            self.service_end = service_end_of(self)
        super().save(*args, **kwargs)

    @property
    def guests(self) -> int:
        return self.adults + self.children

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def deadline(self):
        """The deadline of the current state (answer, payment or checkout), if any."""
        return {BookingStatus.REQUESTED: self.respond_by, BookingStatus.AWAITING_PAYMENT: self.pay_by,
                BookingStatus.CHECKOUT: self.hold_until}.get(self.status)

    @property
    def offer(self):
        """The lodging or the experience booked."""
        return self.unit.lodging if self.unit_id else self.session.experience

    @property
    def title(self) -> str:
        return str(self.unit) if self.unit_id else self.session.experience.title

    @property
    def price_breakdown(self) -> list[dict]:
        """The frozen price lines with a label in the current language (bookings.pricing)."""
        from .pricing import describe_lines, tax_line

        return describe_lines(self.price_lines) + tax_line(tourist_tax.booking_tax(self))

    @property
    def tourist_tax_amount(self) -> Decimal:
        """The taxe de séjour paid with the booking, beside its price (touristtax; 0 for experiences)."""
        return tourist_tax.collected_amount(self)

    @property
    def total_to_pay(self) -> Decimal:
        """What the traveller pays in all: the price (commission base) plus the taxe de séjour."""
        return self.total_price + self.tourist_tax_amount

    @property
    def refund_state(self) -> str:
        """"" (nothing refunded), "partial" or "full"."""
        if self.refunded_amount <= 0:
            return ""
        return "full" if self.refunded_amount >= self.amount_paid else "partial"


def service_end_of(booking: Booking) -> datetime:
    """When the service ends, in UTC: a stay at 00:00 in Paris on its departure day (a
    departure on the 1st ends on the 1st), an experience at its session's end."""
    if booking.kind == BookingKind.EXPERIENCE:
        return booking.session.end.astimezone(UTC)
    return paris_midnight(booking.departure).astimezone(UTC)


class BookingEvent(models.Model):
    """One line of a booking's history: every transition writes one."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=BookingStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=BookingStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    reason = models.CharField(max_length=300, blank=True)
    # What happened, as a code and its facts, rendered in the reader's language (bookings/history.py).
    reason_code = models.CharField(max_length=40, blank=True)
    reason_params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("événement de réservation")
        verbose_name_plural = _("historique des réservations")

    def __str__(self) -> str:
        return f"{self.get_to_status_display()} · {self.reason_text}" if self.reason_text else self.get_to_status_display()

    @property
    def reason_text(self) -> str:
        from .history import reason_text

        return reason_text(self.reason_code, self.reason_params, self.reason)


class ExternalBlock(models.Model):
    """Nights [start, end) blocked on a unit by an imported calendar feed. Stored here,
    beside bookings, because `bookings` answers availability in one place; written by
    `calsync`, which owns the feeds (referenced by id only, so bookings never imports it)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="external_blocks")
    start = models.DateField()
    end = models.DateField()
    feed_id = models.PositiveBigIntegerField(db_index=True)
    source_name = models.CharField(max_length=120)
    uid = models.CharField(max_length=255, blank=True)
    summary = models.CharField(max_length=255, blank=True)
    tentative = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start"]
        verbose_name = _("blocage importé")
        verbose_name_plural = _("blocages importés")
        constraints = [models.CheckConstraint(condition=Q(end__gt=F("start")), name="external_block_dates_ordered")]
        indexes = [models.Index(fields=["unit", "start", "end"], name="external_block_unit_dates")]

    def __str__(self) -> str:
        return f"{self.source_name} {self.start.isoformat()} → {self.end.isoformat()}"
