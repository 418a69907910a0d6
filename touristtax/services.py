"""The tax of a stay: the tariff in force, the quote shown to the traveller, the amount frozen
on the booking, and the staff's alert when a commune has no tariff (docs/tourist-tax.md).

Called by bookings (`bookings.pricing`, `bookings.services.request_stay`) and payouts (the
card amount, the ledger). Experiences never carry the tax: only stays call in here."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.mail import absolute_url, queue_email
from core.money import format_eur, to_cents
from lodgings.models import Lodging, TaxClassification

from . import rules
from .models import BookingTax, Commune, Tariff, TaxAlert, TaxStatus

log = logging.getLogger(__name__)
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class TaxQuote:
    """The tax of one stay before it is booked (and what `freeze` stores)."""

    status: str  # TaxStatus
    nights: int
    adults: int
    occupants: int
    category: str
    insee_code: str
    nightly_price: Decimal
    commune: Commune | None = None
    tariff: Tariff | None = None
    communal_per_night: Decimal = ZERO
    departmental_per_night: Decimal = ZERO
    regional_per_night: Decimal = ZERO
    per_adult_night: Decimal = ZERO
    amount: Decimal = ZERO
    problems: list[str] = field(default_factory=list)

    @property
    def collected(self) -> Decimal:
        """What the traveller pays us for the tax (0 when the host collects it, or no tariff)."""
        return self.amount if self.status == TaxStatus.COLLECTED else ZERO


def tariffs_in_force(commune: Commune, on: date):
    return commune.tariffs.filter(Q(valid_until__isnull=True) | Q(valid_until__gt=on), valid_from__lte=on)


def tariff_for(commune: Commune, category: str, on: date) -> Tariff | None:
    return tariffs_in_force(commune, on).filter(category=category).order_by("-valid_from").first()


def non_classified_cap(tariff: Tariff, on: date) -> Decimal | None:
    """The cap staff entered, or the highest tariff the commune adopted for its categories."""
    if tariff.cap is not None:
        return tariff.cap
    amounts = tariffs_in_force(tariff.commune, on).exclude(category=TaxClassification.NON_CLASSE).values_list(
        "per_person_night", flat=True)
    return max((a for a in amounts if a is not None), default=None)


def quote_stay(*, lodging: Lodging, nightly_price: Decimal, arrival: date, departure: date, adults: int,
               children: int) -> TaxQuote:
    """The tax of `adults` + `children` staying `departure − arrival` nights at `nightly_price`,
    at the tariff in force on the arrival day. Never raises on missing data: the stay can still
    be booked, the tax is then 0 and `freeze` tells staff."""
    nights = max((departure - arrival).days, 0)
    base = {"nights": nights, "adults": adults, "occupants": adults + children, "nightly_price": nightly_price,
            "category": lodging.tax_classification, "insee_code": lodging.commune_insee}
    if lodging.host_is_professional:
        return TaxQuote(status=TaxStatus.HOST_COLLECTS, **base)
    commune = Commune.objects.filter(insee_code=lodging.commune_insee).first() if lodging.commune_insee else None
    tariff = tariff_for(commune, lodging.tax_classification, arrival) if commune else None
    if tariff is None or adults + children < 1:
        return TaxQuote(status=TaxStatus.NO_TARIFF, commune=commune, **base)
    if tariff.category == TaxClassification.NON_CLASSE:
        cap = non_classified_cap(tariff, arrival)
        if cap is None:  # a percentage with nothing to cap it: the law's limit cannot be applied
            return TaxQuote(status=TaxStatus.NO_TARIFF, commune=commune, tariff=tariff, **base)
        communal = rules.non_classified_per_person_night(nightly_price=nightly_price, occupants=adults + children,
                                                         rate_percent=tariff.rate_percent, cap=cap)
    else:
        communal = tariff.per_person_night
    departmental = rules.additional(communal, tariff.departmental_rate)
    regional = rules.additional(communal, tariff.regional_rate)
    per_adult_night = communal + departmental + regional
    return TaxQuote(status=TaxStatus.COLLECTED, commune=commune, tariff=tariff, communal_per_night=communal,
                    departmental_per_night=departmental, regional_per_night=regional,
                    per_adult_night=per_adult_night,
                    amount=rules.stay_amount(per_adult_night=per_adult_night, adults=adults, nights=nights), **base)


def freeze(*, booking, quote: TaxQuote) -> BookingTax:
    """Store the stay's tax on its booking (inside the booking's transaction). A stay whose tax
    could not be computed is booked all the same; staff are emailed once per commune."""
    row = BookingTax.objects.create(
        booking=booking, lodging_id=booking.unit.lodging_id, commune=quote.commune, tariff=quote.tariff,
        insee_code=quote.insee_code, category=quote.category, status=quote.status, nights=quote.nights,
        adults=quote.adults, occupants=quote.occupants, nightly_price=quote.nightly_price,
        communal_per_night=quote.communal_per_night, departmental_per_night=quote.departmental_per_night,
        regional_per_night=quote.regional_per_night, per_adult_night=quote.per_adult_night,
        amount=quote.collected)
    if quote.status == TaxStatus.NO_TARIFF and quote.insee_code:
        log.warning("booking %s: no tourist tax tariff for commune %r (%s)", booking.reference, quote.insee_code,
                    quote.category)
        transaction.on_commit(lambda: alert_missing_tariff(booking_tax_id=row.pk), robust=True)
    return row


def alert_missing_tariff(*, booking_tax_id: int) -> bool:
    """Email staff once per commune code and category. The admin lists every stay booked
    without tax (Taxes de séjour des réservations, statut « Tarif manquant »), those of lodgings
    with no commune code too (no email for them: the owner has not said where the lodging is)."""
    row = BookingTax.objects.select_related("lodging", "booking").get(pk=booking_tax_id)
    key = f"insee:{row.insee_code}:{row.category}"
    try:
        with transaction.atomic():
            TaxAlert.objects.create(key=key)
    except IntegrityError:
        return False  # told already
    where = row.insee_code
    admin_url = absolute_url(reverse("admin:touristtax_bookingtax_changelist") + "?status__exact=no_tariff")
    queue_email(
        subject=f"[Alma Heritage] Taxe de séjour non calculée : commune {where}",
        text=(f"La réservation {row.booking.reference} ({row.lodging.title}, commune {where}, catégorie "
              f"{row.get_category_display()}) a été acceptée sans taxe de séjour : aucun tarif en vigueur.\n"
              f"Ajoutez le tarif de la commune dans l'administration > Taxe de séjour > Communes.\n"
              f"Séjours concernés : {admin_url}\n"),
        to=[settings.STAFF_INBOX_OWNERS])
    return True


# --- Reading a booking's tax ------------------------------------------------------------------

def booking_tax(booking) -> BookingTax | None:
    if not getattr(booking, "unit_id", None):
        return None  # experiences never carry the tax
    try:
        return booking.tourist_tax
    except BookingTax.DoesNotExist:
        return None


def collected_amount(booking) -> Decimal:
    """The tax the traveller pays with the booking (0: an experience, a professional host, no tariff)."""
    row = booking_tax(booking)
    return row.amount if row is not None and row.status == TaxStatus.COLLECTED else ZERO


def describe(tax: TaxQuote | BookingTax | None) -> dict | None:
    """The breakdown line in the active language: {"code", "label", "amount", "detail"}.
    A professional host's stay says the tax is paid to them; no line when nothing is known."""
    if tax is None:
        return None
    if tax.status == TaxStatus.HOST_COLLECTS:
        return {"code": "tourist_tax", "label": _("Taxe de séjour"), "amount": None,
                "detail": _("réglée sur place auprès de l'hôte")}
    if tax.status != TaxStatus.COLLECTED or not tax.amount:
        return None
    detail = ngettext("%(adults)s adulte", "%(adults)s adultes", tax.adults) % {"adults": tax.adults}
    detail += " × " + ngettext("%(n)s nuit", "%(n)s nuits", tax.nights) % {"n": tax.nights}
    detail += " × " + format_eur(tax.per_adult_night)
    return {"code": "tourist_tax", "label": _("Taxe de séjour"), "amount": tax.amount, "detail": detail}


def collected_cents_by_booking(booking_ids: list[int]) -> dict[int, int]:
    """The frozen tax of these bookings, in cents (one query; the ledger's end-of-stay sweep)."""
    rows = BookingTax.objects.filter(booking_id__in=booking_ids, status=TaxStatus.COLLECTED, amount__gt=0)
    return {booking_id: to_cents(amount) for booking_id, amount in rows.values_list("booking_id", "amount")}
