"""The ledger (docs/payouts.md): double-entry, append-only, in integer cents.

Every posting is one `LedgerTransaction` whose entries sum to zero, under a unique key naming
what caused it, so posting the same event twice posts it once. Debit > 0, credit < 0.

    payment succeeded      cash +X               / traveller_prepaid −X   (refunds_due −X if no booking counts it)
    refund, before the end traveller_prepaid +R  / cash −R
    tourist tax (kept T)   traveller_prepaid +T  / tourist_tax_payable −T  (just before "ended", same batch)
    booking ended (kept K) traveller_prepaid +card, voucher_liability +(voucher − complement)
                           / owner_payable −(net − complement), commission −(commission − donation), donation_payable −donation
    voucher complement     voucher_liability +complement / owner_payable −complement  (the net of the voucher part)
    voucher sold (V)       cash +V / voucher_liability −V   (vouchers/sales.py)
    refund after the end   cash −R / tourist_tax_payable +t (its tax share),
                           owner_payable +Δnet, commission +Δ, donation_payable +Δ  (split of K − (R − t))
    payout sent (P)        owner_payable +P      / cash −P
    transfer reversal (D)  cash +D               / owner_payable −D       (payable again, or a debt recovered)

The split of the amount kept uses the rate frozen on the booking when it was paid and the one
rounding of the project (`bookings.pricing.commission_split`), so net + commission = kept.
Balances, statements and invoices read these rows; nothing is recomputed from bookings.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.dispatch import Signal

from bookings import owner_aggregates
from bookings.locks import lock_booking
from bookings.models import Booking
from bookings.pricing import commission_split
from core.money import from_cents, to_cents
from touristtax import rules as tax_rules
from touristtax import services as tourist_tax

from .models import (
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Payment,
    PaymentStatus,
    PayoutLine,
    Refund,
    RefundStatus,
    TransactionKind,
)

log = logging.getLogger(__name__)
A = LedgerAccount


# Sent inside the ended posting's transaction with the bookings that gave a donation
# (`booking_ids`, `now`): donations/allocation.py records the foundations' weights then in
# force. A receiver that fails rolls the posting back, so no donation is ever left undivided.
booking_ended = Signal()


class Unbalanced(Exception):
    """A posting whose entries do not sum to zero: a bug, never written."""


@dataclass(frozen=True)
class Line:
    account: str
    amount_cents: int
    owner_id: int | None = None
    booking_id: int | None = None


@dataclass(frozen=True)
class Split:
    """A booking's money once its service ended, in cents: kept = net + commission."""

    kept: int
    commission: int  # TTC, donation included
    net: int
    donation: int


# --- Writing ------------------------------------------------------------------------------------

def post(*, key: str, kind: str, lines: list[Line], occurred_at: datetime, booking_id: int | None = None,
         payout_id: int | None = None, memo: str = "") -> LedgerTransaction | None:
    """Write one balanced transaction, once per key. None when the key was already posted."""
    lines = [line for line in lines if line.amount_cents]
    if sum(line.amount_cents for line in lines) != 0:
        raise Unbalanced(f"{key}: {lines}")
    try:
        with transaction.atomic():  # the unique key decides: a second posting rolls back here
            record = LedgerTransaction.objects.create(key=key, kind=kind, booking_id=booking_id, payout_id=payout_id,
                                                      occurred_at=occurred_at, memo=memo[:300])
            LedgerEntry.objects.bulk_create(_entries(record, lines))
    except IntegrityError:  # the same key posted concurrently: theirs stands
        if LedgerTransaction.objects.filter(key=key).exists():
            return None
        raise
    return record


def _entries(record: LedgerTransaction, lines: list[Line]) -> list[LedgerEntry]:
    return [LedgerEntry(transaction=record, account=line.account, owner_id=line.owner_id, booking_id=line.booking_id,
                        amount_cents=line.amount_cents) for line in lines]


def payment_key(payment: Payment) -> str:
    return f"payment:{payment.stripe_payment_intent_id or payment.pk}"


def ended_key(booking: Booking) -> str:
    return f"ended:{booking.reference}"


def tourist_tax_key(booking: Booking) -> str:
    return f"tourist-tax:{booking.reference}"


COMPLEMENT_SUFFIX = ":bon-cadeau"


def complement_key(booking: Booking) -> str:
    """The second "ended" transaction of a booking gift vouchers paid: the owner's net on the
    voucher part, paid as a "complément bon cadeau" line (docs/vouchers.md)."""
    return ended_key(booking) + COMPLEMENT_SUFFIX


# --- Payments and refunds -------------------------------------------------------------------------

def post_payment(*, payment: Payment, now: datetime) -> LedgerTransaction | None:
    """A payment succeeded. Held for its booking until the service ends, or owed back when no
    booking counts it (a duplicate, or a payment that came too late)."""
    if not _in_euros(payment):
        return None
    booking = Booking.objects.only("paid_at", "owner_id").get(pk=payment.booking_id)
    # A success for another amount than asked is never the booking's money (payouts/services.py).
    counted = payment.counts_for_booking and booking.paid_at is not None
    held = A.TRAVELLER_PREPAID if counted else A.REFUNDS_DUE
    return post(key=payment_key(payment), kind=TransactionKind.PAYMENT, occurred_at=payment.succeeded_at or now,
                booking_id=payment.booking_id,
                lines=[Line(A.CASH, payment.amount_cents, booking_id=payment.booking_id),
                       Line(held, -payment.amount_cents, booking_id=payment.booking_id)])


def _in_euros(payment: Payment) -> bool:
    """The ledger counts euro cents only. A payment Stripe received in another currency (an
    amount mismatch, refunded in full) is left out, with its refunds: staff see it in the admin."""
    if payment.currency.lower() == "eur":
        return True
    log.error("payment %s in %s: not posted to the ledger", payment, payment.currency)
    return False


def _held_account(payment: Payment, now: datetime) -> str:
    """Where this payment's money was put (posting it first if it never was)."""
    account = (LedgerEntry.objects.filter(transaction__key=payment_key(payment), account__in=(
        A.TRAVELLER_PREPAID, A.REFUNDS_DUE)).values_list("account", flat=True).first())
    if account is None:
        post_payment(payment=payment, now=now)
        return _held_account(payment, now)
    return account


def post_refund(*, refund: Refund, now: datetime) -> LedgerTransaction | None:
    """A refund completed (called in complete_refund's transaction, the booking locked)."""
    payment = refund.payment
    return give_back(key=f"refund:{refund.pk}", kind=TransactionKind.REFUND, payment=payment,
                     amount_cents=refund.amount_cents, source=A.CASH, now=now)


def give_back(*, key: str, kind: str, payment: Payment, amount_cents: int, source: str,
              now: datetime) -> LedgerTransaction | None:
    """Money of `payment` leaves (a refund from our cash, a lost dispute from the disputes
    account): from what is held before the service ends, from the split after it."""
    booking_id = payment.booking_id
    if not _in_euros(payment):
        return None
    with transaction.atomic():
        lock_booking(booking_id)  # docs/locks.md: Booking first; the ended posting takes it too
        held = _held_account(payment, now)
        if held == A.REFUNDS_DUE:
            lines = [Line(A.REFUNDS_DUE, amount_cents, booking_id=booking_id)]
        elif not LedgerTransaction.objects.filter(booking_id=booking_id, kind=TransactionKind.BOOKING_ENDED).exists():
            lines = [Line(A.TRAVELLER_PREPAID, amount_cents, booking_id=booking_id)]
        else:
            booking = Booking.objects.get(pk=booking_id)
            tax_lines, tax_part = _tax_given_back(booking, amount_cents)
            lines = [*tax_lines, *_less_kept(booking, amount_cents - tax_part)]
        return post(key=key, kind=kind, occurred_at=now, booking_id=booking_id,
                    lines=[Line(source, -amount_cents, booking_id=booking_id), *lines])


def _tax_given_back(booking: Booking, amount_cents: int) -> tuple[list[Line], int]:
    """After the end, a refund returns the taxe de séjour with the nights it refunds: its share
    of what the booking still holds (tax + price kept), so refunding all of it returns all the tax."""
    held = -(LedgerEntry.objects.filter(booking=booking, account=A.TOURIST_TAX_PAYABLE)
             .aggregate(total=Sum("amount_cents"))["total"] or 0)
    part = tax_rules.share_cents(held, amount_cents, held + booking_split(booking).kept) if held > 0 else 0
    return [Line(A.TOURIST_TAX_PAYABLE, part, booking_id=booking.pk)], part


def _less_kept(booking: Booking, amount_cents: int) -> list[Line]:
    """After the end: split the smaller amount kept again; the differences go back. If the
    owner was already paid, their owner_payable turns into a debt (netted or recovered)."""
    before = booking_split(booking)
    taken = min(amount_cents, before.kept)
    after = split(booking, before.kept - taken)
    lines = [Line(A.OWNER_PAYABLE, before.net - after.net, owner_id=booking.owner_id, booking_id=booking.pk),
             Line(A.COMMISSION, (before.commission - before.donation) - (after.commission - after.donation),
                  booking_id=booking.pk),
             Line(A.DONATION_PAYABLE, before.donation - after.donation, booking_id=booking.pk)]
    if amount_cents > taken:  # more given back than was kept: staff must look (refunds_due shows it)
        log.error("booking %s: %s cents given back beyond what it kept", booking.reference, amount_cents - taken)
        lines.append(Line(A.REFUNDS_DUE, amount_cents - taken, booking_id=booking.pk))
    return lines


# --- The split ------------------------------------------------------------------------------------

def split(booking: Booking, kept_cents: int) -> Split:
    """Commission, net and donation of `kept_cents`, at the rate frozen on the booking."""
    parts = commission_split(total=from_cents(kept_cents), kind=booking.kind, rate=booking.commission_rate)
    commission = to_cents(parts.commission)
    return Split(kept=kept_cents, commission=commission, net=kept_cents - commission,
                 donation=to_cents(parts.donation))


def booking_split(booking: Booking) -> Split:
    """What the ledger says the booking's split is now (zeros before it ended)."""
    sums = _sums(LedgerEntry.objects.filter(booking=booking))
    net = -sums.get(A.OWNER_PAYABLE, 0)
    donation = -sums.get(A.DONATION_PAYABLE, 0)
    commission = -sums.get(A.COMMISSION, 0) + donation
    return Split(kept=net + commission, commission=commission, net=net, donation=donation)


def _sums(entries) -> dict[str, int]:
    return dict(entries.values("account").annotate(total=Sum("amount_cents")).values_list("account", "total"))


# --- Bookings that ended ----------------------------------------------------------------------------

def end_bookings(*, before: datetime, now: datetime, batch_size: int = 1000, window: int = 50_000) -> int:
    """Post "booking ended" for every paid booking whose service ended before `before`.
    Returns how many were posted. Runs hourly (the `end-bookings` beat) and before each
    monthly run, which then finds almost everything posted already.

    The bookings are scanned by windows of primary keys, two indexed queries per window (the
    paid ones, the ended ones) compared in Python, rather than one NOT EXISTS: right after a
    sweep inserted thousands of rows PostgreSQL's statistics still say "none ended", and the
    anti-join planned on them took 48 s for 20,000 bookings (bench/payouts_bench.py)."""
    posted = 0
    last = Booking.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for start in range(0, last + 1, window):
        in_window = {"pk__gte": start, "pk__lt": start + window}
        paid = Booking.objects.filter(paid_at__isnull=False, service_end__lt=before, **in_window)
        todo = sorted(set(paid.values_list("pk", flat=True)) - _ended_among(**in_window))
        for offset in range(0, len(todo), batch_size):
            with transaction.atomic():
                batch = todo[offset:offset + batch_size]
                lock_bookings(batch)
                posted += _end_batch(_not_ended(batch), now)  # checked again under the locks
    return posted


def _ended_among(*, pk__gte: int, pk__lt: int) -> set[int]:
    return set(LedgerTransaction.objects.filter(kind=TransactionKind.BOOKING_ENDED, booking_id__gte=pk__gte,
                                                booking_id__lt=pk__lt).values_list("booking_id", flat=True))


def lock_bookings(ids: list[int]) -> None:
    """docs/locks.md: bookings first, in pk order (two sweeps never wait on each other in a cycle)."""
    list(Booking.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def _not_ended(ids: list[int]) -> list[int]:
    ended = set(LedgerTransaction.objects.filter(booking_id__in=ids, kind=TransactionKind.BOOKING_ENDED)
                .values_list("booking_id", flat=True))
    return [pk for pk in ids if pk not in ended]


def _end_batch(ids: list[int], now: datetime) -> int:
    """The bookings `ids` are locked and not ended (checked under the locks: PostgreSQL READ
    COMMITTED gives each statement a fresh snapshot, so a concurrent run's commit is seen)."""
    if not ids:
        return 0
    bookings = list(Booking.objects.filter(pk__in=ids).order_by("pk"))
    _post_missing_money(ids, now)
    held = dict(LedgerEntry.objects.filter(booking_id__in=ids, account=A.TRAVELLER_PREPAID).values("booking_id")
                .annotate(total=Sum("amount_cents")).values_list("booking_id", "total"))
    taxes = tourist_tax_kept(bookings, held)
    entries = _tourist_tax_entries(bookings, taxes, now)
    records = LedgerTransaction.objects.bulk_create(
        [LedgerTransaction(key=ended_key(b), kind=TransactionKind.BOOKING_ENDED, booking=b, occurred_at=now)
         for b in bookings])
    complements = {b.pk: complement_lines(b, card_cents=-held.get(b.pk, 0) - taxes.get(b.pk, 0))
                   for b in bookings if b.voucher_amount > 0}
    complements = {pk: lines for pk, lines in complements.items() if lines}
    complement_records = {record.booking_id: record for record in LedgerTransaction.objects.bulk_create(
        [LedgerTransaction(key=complement_key(b), kind=TransactionKind.BOOKING_ENDED, booking=b, occurred_at=now)
         for b in bookings if b.pk in complements])}
    for booking, record in zip(bookings, records, strict=True):
        lines = ended_lines(booking, card_cents=-held.get(booking.pk, 0) - taxes.get(booking.pk, 0))
        if sum(line.amount_cents for line in lines) != 0:
            raise Unbalanced(record.key)
        entries += _entries(record, [line for line in lines if line.amount_cents])
        if booking.pk in complements:
            if sum(line.amount_cents for line in complements[booking.pk]) != 0:
                raise Unbalanced(complement_records[booking.pk].key)
            entries += _entries(complement_records[booking.pk], complements[booking.pk])
    LedgerEntry.objects.bulk_create(entries, batch_size=2000)
    # « Paiements »' count of payments to come reads the "booking ended" transactions (bulk: no signal).
    owner_aggregates.replace_version(booking.owner_id for booking in bookings)
    gave = sorted({entry.booking_id for entry in entries if entry.account == A.DONATION_PAYABLE})
    if gave:
        booking_ended.send(sender=LedgerTransaction, booking_ids=gave, now=now)
    return len(records)


def tourist_tax_kept(bookings: list[Booking], held: dict[int, int]) -> dict[int, int]:
    """The taxe de séjour each ended stay keeps, in cents: its frozen tax (touristtax) times the
    share of the booking's money still held (card held + voucher, over price + tax), so a
    refund of half the stay returned half the tax, a full refund all of it. Paid by card: never
    more than the card money held."""
    frozen = tourist_tax.collected_cents_by_booking([b.pk for b in bookings])
    kept = {}
    for booking in bookings:
        card = -held.get(booking.pk, 0)
        if frozen.get(booking.pk, 0) > 0 and card > 0:
            kept[booking.pk] = min(tax_share(booking, card + to_cents(booking.voucher_amount),
                                             tax_cents=frozen[booking.pk]), card)
    return kept


def tax_share(booking: Booking, kept_cents: int, *, tax_cents: int | None = None) -> int:
    """The taxe de séjour inside `kept_cents` of the booking's money (card + voucher not refunded):
    the frozen tax times kept / (price + tax). The rest is the price the split shares."""
    if tax_cents is None:
        tax_cents = to_cents(tourist_tax.collected_amount(booking))
    return tax_rules.share_cents(tax_cents, kept_cents, to_cents(booking.total_price) + tax_cents)


def _tourist_tax_entries(bookings: list[Booking], taxes: dict[int, int], now: datetime) -> list[LedgerEntry]:
    """One "tourist tax" transaction per stay that keeps some: out of the traveller's prepaid
    money into tourist_tax_payable, never into the owner's payable nor our commission."""
    taxed = [b for b in bookings if taxes.get(b.pk)]
    records = LedgerTransaction.objects.bulk_create(
        [LedgerTransaction(key=tourist_tax_key(b), kind=TransactionKind.TOURIST_TAX, booking=b, occurred_at=now)
         for b in taxed])
    return [entry for booking, record in zip(taxed, records, strict=True) for entry in _entries(record, [
        Line(A.TRAVELLER_PREPAID, taxes[booking.pk], booking_id=booking.pk),
        Line(A.TOURIST_TAX_PAYABLE, -taxes[booking.pk], booking_id=booking.pk)])]


def tourist_tax_collected(booking_ids: list[int]) -> dict[int, int]:
    """The taxe de séjour each booking owes its commune now, in cents (the declaration's amounts)."""
    rows = (LedgerEntry.objects.filter(booking_id__in=booking_ids, account=A.TOURIST_TAX_PAYABLE)
            .values("booking_id").annotate(total=Sum("amount_cents")).values_list("booking_id", "total"))
    return {booking_id: -total for booking_id, total in rows if total}


def ended_lines(booking: Booking, *, card_cents: int) -> list[Line]:
    """The ended posting of one booking: what was held (card, voucher) moves to the owner, the
    commission and the donation. Nothing kept (a full refund): an empty transaction marks it.
    The split is on the whole amount kept (card + voucher); the owner's net on the voucher
    part (`voucher_complement`) is posted apart, by `complement_lines`."""
    voucher = to_cents(booking.voucher_amount)
    kept = card_cents + voucher
    if kept <= 0:
        return []
    parts = split(booking, kept)
    complement = voucher_complement(booking, parts=parts, voucher_cents=voucher)
    return [Line(A.TRAVELLER_PREPAID, card_cents, booking_id=booking.pk),
            Line(A.VOUCHER_LIABILITY, voucher - complement, booking_id=booking.pk),
            Line(A.OWNER_PAYABLE, -(parts.net - complement), owner_id=booking.owner_id, booking_id=booking.pk),
            Line(A.COMMISSION, -(parts.commission - parts.donation), booking_id=booking.pk),
            Line(A.DONATION_PAYABLE, -parts.donation, booking_id=booking.pk)]


def voucher_complement(booking: Booking, *, parts: Split, voucher_cents: int) -> int:
    """The owner's net on the part gift vouchers paid: the net of that part alone, never more
    than the whole net (so a booking paid entirely by voucher pays its whole net as complement)."""
    if voucher_cents <= 0:
        return 0
    return max(min(split(booking, voucher_cents).net, parts.net), 0)


def complement_lines(booking: Booking, *, card_cents: int) -> list[Line]:
    """The "complément bon cadeau" transaction: voucher liability → the owner (no commission:
    that was taken once, on the whole amount, by `ended_lines`)."""
    voucher = to_cents(booking.voucher_amount)
    kept = card_cents + voucher
    if kept <= 0 or voucher <= 0:
        return []
    complement = voucher_complement(booking, parts=split(booking, kept), voucher_cents=voucher)
    if complement <= 0:
        return []
    return [Line(A.VOUCHER_LIABILITY, complement, booking_id=booking.pk),
            Line(A.OWNER_PAYABLE, -complement, owner_id=booking.owner_id, booking_id=booking.pk)]


def _post_missing_money(booking_ids: list[int], now: datetime) -> None:
    """Payments and refunds that reached a booking but not the ledger (rows from before the
    ledger existed, or a crash between the two): posted before the booking ends."""
    payments = Payment.objects.filter(booking_id__in=booking_ids, status=PaymentStatus.SUCCEEDED)
    keys = {payment_key(p): p for p in payments}
    for key in keys.keys() - set(LedgerTransaction.objects.filter(key__in=keys).values_list("key", flat=True)):
        post_payment(payment=keys[key], now=now)
    refunds = Refund.objects.filter(payment__booking_id__in=booking_ids, status=RefundStatus.SUCCEEDED)
    refund_keys = {f"refund:{r.pk}": r for r in refunds.select_related("payment")}
    posted = set(LedgerTransaction.objects.filter(key__in=refund_keys).values_list("key", flat=True))
    for key in sorted(refund_keys.keys() - posted):
        post_refund(refund=refund_keys[key], now=now)


# --- Payouts ----------------------------------------------------------------------------------------

def post_payout_sent(*, payout, now: datetime) -> LedgerTransaction | None:
    return post(key=f"payout:{payout.pk}:sent", kind=TransactionKind.PAYOUT_SENT, occurred_at=now,
                payout_id=payout.pk, lines=[Line(A.OWNER_PAYABLE, payout.amount_cents, owner_id=payout.owner_id),
                                            Line(A.CASH, -payout.amount_cents)])


def post_reversal(*, reversal_id: str, payout, amount_cents: int, now: datetime, memo: str = "") -> LedgerTransaction | None:
    """Money came back from the owner's account (our debt recovery, or a reversal made in
    Stripe): owed to them again, so it nets against their debt or is paid next month."""
    return post(key=f"reversal:{reversal_id}", kind=TransactionKind.TRANSFER_REVERSAL, occurred_at=now,
                payout_id=payout.pk, memo=memo,
                lines=[Line(A.CASH, amount_cents), Line(A.OWNER_PAYABLE, -amount_cents, owner_id=payout.owner_id)])


# --- Reading ----------------------------------------------------------------------------------------

def owner_balance(owner_id: int) -> int:
    """What we owe the owner now, in cents (negative: a debt)."""
    total = LedgerEntry.objects.filter(account=A.OWNER_PAYABLE, owner_id=owner_id).aggregate(
        total=Sum("amount_cents"))["total"]
    return -(total or 0)


@dataclass(frozen=True)
class Payable:
    """An owner_payable entry not paid yet (plain values: a payout reads hundreds of them)."""

    pk: int
    amount_cents: int
    booking_id: int | None
    kind: str  # the kind of its transaction
    key: str = ""  # its transaction's key (a voucher complement ends with COMPLEMENT_SUFFIX)

    @property
    def is_voucher_complement(self) -> bool:
        return self.kind == TransactionKind.BOOKING_ENDED and self.key.endswith(COMPLEMENT_SUFFIX)


def payable_entries(owner_id: int, *, before: datetime) -> list[Payable]:
    """What a payout on the 1st at `before` pays the owner: owner_payable entries of bookings
    whose service ended before it, and those of no booking (debts carried, reversals), in no
    live payout line. ("Payout sent" entries settle lines; they are never lines themselves.)
    Two indexed queries rather than a NOT EXISTS whose plan depends on fresh statistics."""
    return payable_entries_of([owner_id], before=before).get(owner_id, [])


def payable_entries_of(owner_ids: list[int], *, before: datetime) -> dict[int, list[Payable]]:
    """`payable_entries` of several owners in the same two queries (the monthly run writes
    owners by the hundred): owner id → their entries in pk order; an owner with none is absent."""
    rows = (LedgerEntry.objects.filter(account=A.OWNER_PAYABLE, owner_id__in=owner_ids)
            .exclude(transaction__kind=TransactionKind.PAYOUT_SENT)
            .filter(Q(booking__isnull=True) | Q(booking__service_end__lt=before)).order_by("pk")
            .values_list("owner_id", "pk", "amount_cents", "booking_id", "transaction__kind", "transaction__key"))
    candidates = [(row[0], Payable(*row[1:])) for row in rows]
    paid = set(PayoutLine.objects.filter(entry_id__in=[e.pk for _, e in candidates], released=False)
               .values_list("entry_id", flat=True)) if candidates else set()
    payable: dict[int, list[Payable]] = {}
    for owner_id, entry in candidates:
        if entry.pk not in paid:
            payable.setdefault(owner_id, []).append(entry)
    return payable


def owners_with_earnings() -> list[int]:
    return sorted(LedgerEntry.objects.filter(account=A.OWNER_PAYABLE).order_by().values_list("owner_id", flat=True)
                  .distinct())


def account_balances() -> dict[str, int]:
    return _sums(LedgerEntry.objects.all())


def unbalanced_transactions():
    """Transactions whose entries do not sum to zero (there must be none)."""
    return (LedgerTransaction.objects.annotate(total=Sum("entries__amount_cents"))
            .exclude(total=0).exclude(total__isnull=True))
