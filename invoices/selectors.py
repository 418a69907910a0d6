"""Reads for the owner's "Paiements" tab (invoices/views.py): payouts with their documents,
what is earned and not payable yet, the Stripe Connect state. A fixed number of queries,
whatever the number of rows."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace

from django.db.models import Case, CharField, Count, F, Func, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from bookings import owner_aggregates
from bookings.models import Booking, BookingStatus
from core.compiledsql import CompiledQuery
from core.money import to_cents
from experiences.models import Session
from lodgings.models import LodgingKind, Unit
from payouts import ledger
from payouts.models import ConnectedAccount, Payout, PayoutStatus, TransactionKind
from payouts.monthly import paid_on
from touristtax.models import BookingTax, TaxStatus

from .models import DocumentKind, Invoice

UPCOMING_LIMIT = 20  # the bookings the "gagné, pas encore versé" table shows

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


# --- The tab's reads as plain rows, with SQL built once per process ------------------------------
# The ORM's building of the tab's eight queries cost more CPU than the minimal page's whole
# request, and the upcoming table's five LEFT JOINs cost PostgreSQL ~5 ms of planning per
# request; as scalar subqueries the same rows plan in under 1 ms (issue 14,
# docs/performance.md "Owner lists").

_OWNER, _LOW, _HIGH = -7_301_601, date(1901, 2, 3), date(1901, 4, 5)

# The head of the tab: how many payouts, a billing address or not, the connected account.
ACCOUNT_FIELDS = ("id", "stripe_account_id", "details_submitted", "transfers_capability", "payouts_enabled",
                  "requirements_due", "requirements_past_due", "requirements_deadline", "disabled_reason")
_HEAD = CompiledQuery(
    lambda owner_id: User.objects.filter(pk=owner_id).annotate(
        payout_count=Subquery(Payout.objects.filter(owner_id=owner_id).order_by().values("owner_id")
                              .annotate(n=Count("pk")).values("n")),
    ).values_list("payout_count", "billing_address__id", *(f"connected_account__{f}" for f in ACCOUNT_FIELDS)),
    sentinels=(_OWNER,))


@dataclass
class Head:
    payout_count: int
    has_billing_address: bool
    account: ConnectedAccount | None


def payments_head(owner_id: int) -> Head:
    (payout_count, has_billing_address, *account), = _HEAD(owner_id)
    payout_count = payout_count or 0  # no payout: no group to count
    has_billing_address = has_billing_address is not None
    found = ConnectedAccount(owner_id=owner_id, **dict(zip(ACCOUNT_FIELDS, account, strict=True))) \
        if account[0] is not None else None
    return Head(payout_count, has_billing_address, found)


_payout_pages: dict[int, CompiledQuery] = {}  # by offset: LIMIT and OFFSET are written into the SQL


def payout_rows(owner_id: int, offset: int, limit: int) -> list[tuple]:
    """(pk, month, status, amount_cents) of the owner's payouts, newest first, as owner_payouts orders them."""
    query = _payout_pages.get(offset)
    if query is None:
        if len(_payout_pages) > 200:
            _payout_pages.clear()
        query = _payout_pages[offset] = CompiledQuery(
            lambda owner_id: Payout.objects.filter(owner_id=owner_id).order_by("-month", "-pk")
            .values_list("pk", "month", "status", "amount_cents")[offset:offset + limit],
            sentinels=(_OWNER,))
    return query(owner_id)


_DOCUMENT_COLUMNS = ("month", "kind", "number", "issue_date", "total_ttc_cents")
# The documents of the months from `low` to `high` (a page of payouts: their months, and maybe
# some months without a payout between them, left out by the caller).
_DOCUMENTS_BETWEEN = CompiledQuery(
    lambda owner_id, low, high: Invoice.objects.filter(owner_id=owner_id, month__gte=low, month__lte=high)
    .order_by("sequence_number").values_list(*_DOCUMENT_COLUMNS),
    sentinels=(_OWNER, _LOW, _HIGH))
# The first page: the documents from `low` on (the page's months and later: all newer months
# are on it) and those of a month without a payout (documents_without_payout).
_DOCUMENTS_FIRST_PAGE = CompiledQuery(
    lambda owner_id, low: Invoice.objects.filter(owner_id=owner_id).filter(
        Q(month__gte=low) | ~Q(month__in=Payout.objects.filter(owner_id=owner_id).values("month")))
    .order_by("sequence_number").values_list(*_DOCUMENT_COLUMNS),
    sentinels=(_OWNER, _LOW))

NO_MONTH = date(9999, 12, 31)


@dataclass
class Document:
    kind: str
    number: str
    issue_date: date
    total_ttc_cents: int

    @property
    def is_credit_note(self) -> bool:
        return self.kind == DocumentKind.CREDIT_NOTE


def page_documents(owner_id: int, months: list[date], *, first_page: bool) -> tuple[dict[date, list[Document]],
                                                                                      list[Document]]:
    """The documents of each of these payouts' months, by sequence number (documents_by_month),
    and on the first page the documents of months without a payout, newest first
    (documents_without_payout); one query."""
    if first_page:
        rows = _DOCUMENTS_FIRST_PAGE(owner_id, min(months) if months else NO_MONTH)
    elif months:
        rows = _DOCUMENTS_BETWEEN(owner_id, min(months), max(months))
    else:
        return {}, []
    shown = set(months)
    grouped: dict[date, list[Document]] = defaultdict(list)
    loose = []
    for month, *document in rows:
        if month in shown:
            grouped[month].append(Document(*document))
        elif first_page:  # no payout for that month: all the newer months are on this page
            loose.append(Document(*document))
    loose.reverse()
    return grouped, loose


def _joined(*parts) -> Func:
    """parts joined with ||, on PostgreSQL and SQLite alike (Concat adds '' parameters of its own)."""
    return Func(*parts, template="(%(expressions)s)", arg_joiner=" || ", output_field=CharField())


def _upcoming(owner_id):
    return (Booking.objects.filter(owner_id=owner_id, status=BookingStatus.CONFIRMED, paid_at__isnull=False)
            .exclude(ledger_transactions__kind=TransactionKind.BOOKING_ENDED))


_DASH = " \u2013 "  # Unit.__str__'s " – "
_CONSTANT_PARAMETERS = (1, BookingStatus.CONFIRMED.value, TransactionKind.BOOKING_ENDED.value,
                        TaxStatus.COLLECTED.value, LodgingKind.CHAMBRES_HOTES.value, _DASH)


def _upcoming_rows(owner_id):
    return _upcoming(owner_id).annotate(
        # str(unit): the lodging's title before the room's name for chambres d'hôtes.
        unit_title=Subquery(Unit.objects.filter(pk=OuterRef("unit_id")).annotate(title=Case(
            When(lodging__kind=LodgingKind.CHAMBRES_HOTES, then=_joined("lodging__title", Value(_DASH), "name")),
            default=F("name"))).order_by().values("title")),
        experience_title=Subquery(Session.objects.filter(pk=OuterRef("session_id")).order_by().values("experience__title")),
        tax_amount=Subquery(BookingTax.objects.filter(booking_id=OuterRef("pk"), status=TaxStatus.COLLECTED).order_by().values("amount")),
    ).order_by("service_end", "pk").values_list(
        "reference", "kind", "unit_id", "service_end", "amount_paid", "voucher_amount", "refunded_amount",
        "total_price", "commission_rate", "unit_title", "experience_title", "tax_amount")[:UPCOMING_LIMIT]


_UPCOMING = CompiledQuery(_upcoming_rows, sentinels=(_OWNER,), constants=_CONSTANT_PARAMETERS)
_UPCOMING_COUNT = CompiledQuery(
    lambda owner_id: _upcoming(owner_id).order_by().values("owner_id").annotate(n=Count("pk")).values_list("n"),
    sentinels=(_OWNER,), constants=_CONSTANT_PARAMETERS)


@dataclass
class UpcomingRow:
    reference: str
    title: str
    service_end: datetime
    payable_on: date
    net_cents: int


def upcoming_rows(owner_id: int) -> tuple[list[UpcomingRow], int]:
    """earned_not_payable(limit=UPCOMING_LIMIT) as plain rows: the same bookings, order, nets and count."""
    rows = []
    for (reference, kind, unit_id, service_end, amount_paid, voucher_amount, refunded_amount, total_price,
         commission_rate, unit_title, experience_title, tax_amount) in _UPCOMING(owner_id):
        frozen = SimpleNamespace(kind=kind, commission_rate=commission_rate, total_price=total_price)
        kept = to_cents(amount_paid + voucher_amount - refunded_amount)
        kept -= ledger.tax_share(frozen, kept, tax_cents=to_cents(tax_amount) if unit_id and tax_amount else 0)
        net = ledger.split(frozen, kept).net if kept > 0 else 0
        rows.append(UpcomingRow(reference, unit_title if unit_id else experience_title, service_end,
                                paid_on(service_end), net))
    if len(rows) < UPCOMING_LIMIT:
        return rows, len(rows)
    count, keep = owner_aggregates.kept(owner_id, "upcoming-payments")
    if count is None:
        (count,), = _UPCOMING_COUNT(owner_id)
        keep(count)
    return rows, count
