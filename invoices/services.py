"""Issuing commission invoices and credit notes (docs/invoices.md). Each document is written
with its lines in one transaction that first locks the numbering sequence
(invoices.numbering), so the checks made here (already invoiced? anything left to credit?)
cannot race with another issuer, and a failure gives its number back."""
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import formats, translation

from accounts.models import BillingAddress, User
from bookings.models import Booking
from core.dates import today_in_paris

from . import numbering, vat
from .models import DocumentKind, Invoice, InvoiceLine, Settlement


class InvoiceError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Charge:
    """One booking's commission to bill (or to credit back): `ttc_cents` > 0."""

    source_key: str  # what is billed, unique across all lines (InvoiceLine.source_key)
    booking: Booking | None
    base_cents: int  # the amount kept on the booking that the commission is taken from
    ttc_cents: int
    description: str = ""


def issue_invoice(*, owner: User, month: date, charges: Callable[[], Sequence[Charge]],
                  settlement: Settlement, transfer_reference: str = "", now: datetime) -> Invoice | None:
    """The owner's commission invoice for `month`, or None when there is one already or
    nothing to bill. `charges` is called under the numbering lock and may include charges
    already billed: those are left out (a booking is invoiced once)."""
    with transaction.atomic():
        sequence = numbering.lock_sequence()
        if Invoice.objects.filter(owner=owner, month=month, kind=DocumentKind.INVOICE).exists():
            return None
        fresh = _not_billed_yet(charges())
        if not fresh:
            return None
        return _write(sequence, kind=DocumentKind.INVOICE, owner=owner, month=month, charges=fresh,
                      settlement=settlement, transfer_reference=transfer_reference, now=now)


def issue_credit_note(*, original: Invoice, month: date, charges: Sequence[Charge] | None = None,
                      reason: str, settlement: Settlement = Settlement.NEXT_TRANSFER,
                      transfer_reference: str = "", now: datetime) -> Invoice | None:
    """A credit note citing `original`: for `charges` (corrections of its bookings), or for
    everything not credited yet when `charges` is None. Never credits more than a booking
    was invoiced; None when nothing is left to credit."""
    if original.kind != DocumentKind.INVOICE:
        raise InvoiceError("Un avoir corrige une facture, pas un autre avoir.")
    with transaction.atomic():
        sequence = numbering.lock_sequence()
        wanted = _full_credit(original) if charges is None else charges
        fresh = _within_invoiced(original, _not_billed_yet(wanted))
        if not fresh:
            return None
        return _write(sequence, kind=DocumentKind.CREDIT_NOTE, owner=original.owner, month=month,
                      charges=fresh, corrects=original, reason=reason, settlement=settlement,
                      transfer_reference=transfer_reference, now=now)


def _not_billed_yet(charges: Sequence[Charge]) -> list[Charge]:
    keys = {charge.source_key for charge in charges}
    billed = set(InvoiceLine.objects.filter(source_key__in=keys).values_list("source_key", flat=True))
    return [charge for charge in charges if charge.ttc_cents > 0 and charge.source_key not in billed]


def credited_by_booking(original: Invoice) -> dict[str, int]:
    """TTC already credited on each booking (by reference) of `original`."""
    rows = (InvoiceLine.objects.filter(invoice__corrects=original).values("booking_reference")
            .annotate(ttc=Sum("ttc_cents")))
    return {row["booking_reference"]: row["ttc"] for row in rows}


def _full_credit(original: Invoice) -> list[Charge]:
    credited = credited_by_booking(original)
    return [Charge(source_key=f"credit:{line.pk}", booking=line.booking, base_cents=line.base_cents,
                   ttc_cents=line.ttc_cents - credited.get(line.booking_reference, 0),
                   description=line.description)
            for line in original.lines.select_related("booking")]


def _within_invoiced(original: Invoice, charges: list[Charge]) -> list[Charge]:
    invoiced = {line.booking_reference: line.ttc_cents for line in original.lines.all()}
    left = {ref: ttc - credited_by_booking(original).get(ref, 0) for ref, ttc in invoiced.items()}
    kept = []
    for charge in charges:
        reference = charge.booking.reference if charge.booking else ""
        if charge.ttc_cents > left.get(reference, 0):
            raise InvoiceError(f"Avoir supérieur à la commission facturée pour la réservation {reference}.")
        left[reference] -= charge.ttc_cents
        kept.append(charge)
    return kept


def _write(sequence, *, kind: DocumentKind, owner: User, month: date, charges: list[Charge],
           settlement: Settlement, transfer_reference: str, now: datetime,
           corrects: Invoice | None = None, reason: str = "") -> Invoice:
    rate = settings.COMMISSION_VAT_RATE
    splits = [vat.split_ttc(charge.ttc_cents, rate=rate) for charge in charges]
    totals = vat.total(splits)
    issued_on = today_in_paris(now)
    position, number = numbering.take_next(sequence, issued_on=issued_on)
    buyer_name, buyer_address, buyer_vat = buyer_snapshot(owner)
    invoice = Invoice(kind=kind, sequence_number=position, number=number, owner=owner, month=month,
                      corrects=corrects, reason=reason, issued_at=now, issue_date=issued_on,
                      seller=seller_snapshot(), buyer_name=buyer_name, buyer_address=buyer_address,
                      buyer_vat_number=buyer_vat, vat_rate=rate, total_ht_cents=totals.ht_cents,
                      total_vat_cents=totals.vat_cents, total_ttc_cents=totals.ttc_cents,
                      settlement=settlement, transfer_reference=transfer_reference)
    invoice.save()
    InvoiceLine.objects.bulk_create([
        InvoiceLine(invoice=invoice, position=index, booking=charge.booking,
                    booking_reference=charge.booking.reference if charge.booking else "",
                    description=charge.description or describe(charge.booking), base_cents=charge.base_cents,
                    ht_cents=split.ht_cents, vat_cents=split.vat_cents, ttc_cents=split.ttc_cents,
                    source_key=charge.source_key)
        for index, (charge, split) in enumerate(zip(charges, splits, strict=True), start=1)
    ])
    return invoice


def seller_snapshot() -> dict[str, str]:
    return {"name": settings.INVOICE_SELLER_NAME, "legal_form": settings.INVOICE_SELLER_LEGAL_FORM,
            "address": settings.INVOICE_SELLER_ADDRESS, "siret": settings.INVOICE_SELLER_SIRET,
            "rcs": settings.INVOICE_SELLER_RCS, "vat_number": settings.INVOICE_SELLER_VAT_NUMBER}


def buyer_snapshot(owner: User) -> tuple[str, str, str]:
    """(name, address lines, VAT number) from the owner's billing address; without one, the
    owner's name and an empty address (the PDF says it is missing)."""
    try:
        address: BillingAddress = owner.billing_address
    except BillingAddress.DoesNotExist:
        return owner.get_full_name() or owner.email, "", ""
    with translation.override("fr"):
        country = str(address.get_country_display())
    lines = [address.line1, address.line2, f"{address.postal_code} {address.city}", country]
    return address.name, "\n".join(line for line in lines if line.strip()), address.vat_number


def describe(booking: Booking | None) -> str:
    """The service billed, in French like the rest of the invoice (docs/invoices.md)."""
    if booking is None:
        return "Commission Alma Heritage"
    with translation.override("fr"):
        if booking.session_id:
            when = formats.date_format(booking.arrival, "SHORT_DATE_FORMAT")
            return f"Commission sur l'expérience « {booking.title} » du {when}"
        arrival = formats.date_format(booking.arrival, "SHORT_DATE_FORMAT")
        departure = formats.date_format(booking.departure, "SHORT_DATE_FORMAT")
        return f"Commission sur le séjour « {booking.title} » du {arrival} au {departure}"
