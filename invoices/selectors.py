"""Reads for the owner's "Paiements" tab (invoices/views.py): payouts with their documents,
what is earned and not payable yet, the Stripe Connect state. A fixed number of queries,
whatever the number of rows."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from bookings.models import Booking, BookingStatus
from core.money import to_cents
from payouts import ledger
from payouts.models import ConnectedAccount, Payout, PayoutStatus, TransactionKind
from payouts.monthly import paid_on

from .models import Invoice

# The states as the owner reads them, one per Payout status.
PAYOUT_STATES = {
    PayoutStatus.PENDING: _("En attente"),
    PayoutStatus.SENT: _("Envoyé"),
    PayoutStatus.FAILED: _("Échoué"),
    PayoutStatus.WAITING_ONBOARDING: _("En attente de l'inscription Stripe"),
    PayoutStatus.NOTHING_DUE: _("Rien à verser"),
    PayoutStatus.HELD: _("Retenu"),
}


# The colour of each state: the booking pills' classes (static/css), green when sent.
PAYOUT_PILLS = {
    PayoutStatus.PENDING: "status-requested",
    PayoutStatus.SENT: "status-confirmed",
    PayoutStatus.FAILED: "status-cancelled",
    PayoutStatus.WAITING_ONBOARDING: "status-awaiting_payment",
    PayoutStatus.NOTHING_DUE: "status-past",
    PayoutStatus.HELD: "status-expired",
}


def payout_state(payout: Payout) -> str:
    return str(PAYOUT_STATES[PayoutStatus(payout.status)])


def payout_pill(payout: Payout) -> str:
    return PAYOUT_PILLS[PayoutStatus(payout.status)]


def owner_payouts(*, owner: User) -> QuerySet[Payout]:
    return Payout.objects.filter(owner=owner).order_by("-month", "-pk")


def documents_by_month(*, owner: User, months: list[date]) -> dict[date, list[Invoice]]:
    """The invoices and credit notes that go with each of these payouts' months (one query)."""
    grouped: dict[date, list[Invoice]] = defaultdict(list)
    for document in (Invoice.objects.filter(owner=owner, month__in=months).select_related("corrects")
                     .order_by("sequence_number")):
        grouped[document.month].append(document)
    return grouped


def documents_without_payout(*, owner: User) -> QuerySet[Invoice]:
    """Documents of a month with no payout row (issued before that month's run_payouts)."""
    months = Payout.objects.filter(owner=owner).values("month")
    return (Invoice.objects.filter(owner=owner).exclude(month__in=months).select_related("corrects")
            .order_by("-sequence_number"))


@dataclass
class Upcoming:
    """A booking paid and not ended yet: earned, payable on `payable_on`."""

    booking: Booking
    payable_on: date
    net_cents: int


def earned_not_payable(*, owner: User, limit: int) -> tuple[list[Upcoming], int]:
    """Up to `limit` of the owner's confirmed bookings whose service has not ended (no
    "booking ended" posting yet), soonest paid first, and how many there are."""
    bookings = (Booking.objects.filter(owner=owner, status=BookingStatus.CONFIRMED, paid_at__isnull=False)
                .exclude(ledger_transactions__kind=TransactionKind.BOOKING_ENDED)
                .order_by("service_end", "pk"))
    # Only what the table and the net read: 20 whole bookings with their room, lodging,
    # domain, session, experience and traveller cost ~15 ms of CPU under load (issue 14).
    shown = list(bookings.select_related("unit__lodging", "session__experience", "tourist_tax").only(
        "reference", "kind", "service_end", "amount_paid", "voucher_amount", "refunded_amount", "total_price",
        "commission_rate", "unit__name", "unit__lodging__title", "unit__lodging__kind", "session__experience__title",
        "tourist_tax__amount", "tourist_tax__status")[:limit])
    count = len(shown) if len(shown) < limit else bookings.count()
    return [Upcoming(booking=b, payable_on=paid_on(b.service_end), net_cents=expected_net_cents(b))
            for b in shown], count


def expected_net_cents(booking: Booking) -> int:
    """The owner's net if the booking ends as it stands: the ledger's split of what it keeps
    (card + voucher − refunded, less the taxe de séjour inside it) at the rate frozen when it was paid."""
    kept = to_cents(booking.amount_paid + booking.voucher_amount - booking.refunded_amount)
    kept -= ledger.tax_share(booking, kept)
    return ledger.split(booking, kept).net if kept > 0 else 0


def connected_account(*, owner: User) -> ConnectedAccount | None:
    return ConnectedAccount.objects.filter(owner=owner).first()


def requirements_count(account: ConnectedAccount | None) -> int:
    """How many pieces of information Stripe still waits for (due now or past due)."""
    if account is None:
        return 0
    return len(set(account.requirements_due or []) | set(account.requirements_past_due or []))
