"""What an invoice bills, read from the ledger (payouts.models), never recomputed from bookings.

The commission of a booking is what its "booking ended" transaction credits to the platform:
the `commission` entry plus the `donation_payable` one (the donation is taken from the
commission, docs/product.md#money), and its base is what that transaction shares out (owner's net +
commission). So an invoice bills exactly the bookings whose earnings became payable before
the month's cutoff — the ones the month's payout pays, and for an owner whose Stripe account is
not ready, the ones that wait for it. A later transaction of the same booking that debits
those accounts (a refund or a lost dispute after the booking ended) is a correction: a credit
note citing the invoice that billed the booking."""
from collections import defaultdict
from datetime import datetime

from django.db.models import Q, QuerySet, Sum

from accounts.models import User
from bookings.models import Booking
from payouts.models import LedgerAccount, LedgerEntry, TransactionKind

from .models import DocumentKind, Invoice, InvoiceLine
from .services import Charge

COMMISSION_ACCOUNTS = (LedgerAccount.COMMISSION, LedgerAccount.DONATION_PAYABLE)
SHARED_ACCOUNTS = (*COMMISSION_ACCOUNTS, LedgerAccount.OWNER_PAYABLE)


def _by_transaction(entries: QuerySet[LedgerEntry]) -> QuerySet:
    """Per (transaction, booking): the commission (credit to the platform, > 0) and the base."""
    return (entries.values("transaction__key", "booking_id")
            .annotate(commission=-Sum("amount_cents", filter=Q(account__in=COMMISSION_ACCOUNTS)),
                      base=-Sum("amount_cents", filter=Q(account__in=SHARED_ACCOUNTS)))
            .order_by("booking__service_end", "booking_id", "transaction__key"))


def _unbilled(entries: QuerySet[LedgerEntry]) -> QuerySet[LedgerEntry]:
    return entries.filter(account__in=SHARED_ACCOUNTS).exclude(
        transaction__key__in=InvoiceLine.objects.values("source_key"))


def _charges(rows, *, sign: int) -> list[Charge]:
    bookings = Booking.objects.select_related("unit", "session__experience").in_bulk(
        {row["booking_id"] for row in rows})
    return [Charge(source_key=row["transaction__key"], booking=bookings[row["booking_id"]],
                   base_cents=sign * (row["base"] or 0), ttc_cents=sign * (row["commission"] or 0))
            for row in rows if sign * (row["commission"] or 0) > 0]


def commission_charges(*, owner: User, cutoff: datetime) -> list[Charge]:
    """The owner's bookings that ended before `cutoff` and were not invoiced yet."""
    entries = LedgerEntry.objects.filter(transaction__kind=TransactionKind.BOOKING_ENDED, booking__owner=owner,
                                         booking__service_end__lt=cutoff)
    return _charges(list(_by_transaction(_unbilled(entries))), sign=1)


def correction_charges(*, owner: User, cutoff: datetime) -> dict[Invoice, list[Charge]]:
    """Commission given back (posted before `cutoff`) on bookings already invoiced, by the
    invoice that billed each booking."""
    entries = (LedgerEntry.objects.filter(booking__owner=owner, transaction__occurred_at__lt=cutoff,
                                          booking__commission_lines__invoice__kind=DocumentKind.INVOICE)
               .exclude(transaction__kind=TransactionKind.BOOKING_ENDED))
    charges = _charges(list(_by_transaction(_unbilled(entries))), sign=-1)
    invoice_of = dict(InvoiceLine.objects.filter(booking__in=[charge.booking for charge in charges],
                                                 invoice__kind=DocumentKind.INVOICE)
                      .values_list("booking_id", "invoice_id"))
    invoices = Invoice.objects.in_bulk(set(invoice_of.values()))
    grouped: dict[Invoice, list[Charge]] = defaultdict(list)
    for charge in charges:
        grouped[invoices[invoice_of[charge.booking.pk]]].append(charge)
    return dict(grouped)


def owners_to_invoice(*, cutoff: datetime) -> QuerySet[User]:
    """Owners with commission not invoiced yet, or given back, before `cutoff`."""
    ended = (LedgerEntry.objects.filter(transaction__kind=TransactionKind.BOOKING_ENDED,
                                        booking__service_end__lt=cutoff, account__in=COMMISSION_ACCOUNTS)
             .exclude(transaction__key__in=InvoiceLine.objects.values("source_key")))
    corrected = (LedgerEntry.objects.filter(transaction__occurred_at__lt=cutoff, account__in=COMMISSION_ACCOUNTS,
                                            amount_cents__gt=0,
                                            booking__commission_lines__invoice__kind=DocumentKind.INVOICE)
                 .exclude(transaction__key__in=InvoiceLine.objects.values("source_key")))
    return User.objects.filter(Q(pk__in=ended.values("booking__owner")) | Q(pk__in=corrected.values("booking__owner"))
                               ).order_by("pk")
