"""A payout's statement, read from the ledger: one row per booking the payout settles (its
kept amount, our commission, the owner's net, a voucher complement, refunds after payout),
plus rows for what is not about one booking (a debt carried to next month, a transfer
reversal recovered, a correction). The rows add up to the amount transferred.
invoices/statements.py renders them as a PDF and a CSV."""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, Sum

from bookings.models import Booking
from bookings.selectors import offer_label, traveller_name

from .models import LedgerAccount, LedgerEntry, Payout, PayoutLine, PayoutLineKind, TransactionKind

COMMISSION_ACCOUNTS = (LedgerAccount.COMMISSION, LedgerAccount.DONATION_PAYABLE)
DEBT_KINDS = (PayoutLineKind.DEBT, PayoutLineKind.REVERSAL_RECOVERED)


@dataclass
class StatementRow:
    booking_reference: str  # "" for a row about no booking
    offer: str
    arrival: date | None
    departure: date | None
    traveller_name: str
    kept_cents: int = 0  # what the booking kept: card + voucher − refunded
    commission_cents: int = 0  # ours, TTC (invoiced)
    net_cents: int = 0  # the owner's earning in this payout
    voucher_complement_cents: int = 0
    refunds_debts_cents: int = 0  # refunds after payout, recovered reversals, debts carried (≤ 0 or > 0)
    amount_cents: int = 0  # what this row adds to the transfer
    kinds: list[str] = field(default_factory=list)


@dataclass
class StatementTotals:
    kept_cents: int
    commission_cents: int
    net_cents: int
    voucher_complement_cents: int
    refunds_debts_cents: int
    amount_cents: int  # = the payout's amount, what was (or is being) transferred


def statement_lines(payout: Payout):
    """The lines the payout settles (a failed payout released its lines: it has none)."""
    return (payout.lines.filter(released=False)
            .select_related("booking__traveller", "booking__unit__lodging__domain",
                            "booking__session__experience__domain")
            .order_by("booking__service_end", "booking_id", "id"))


def statement_rows(payout: Payout) -> list[StatementRow]:
    """Two queries whatever the number of lines: the lines, then the split of their bookings."""
    lines = list(statement_lines(payout))
    split = _split_of({line.booking_id for line in lines if line.booking_id})
    rows: dict[int | None, StatementRow] = {}
    loose: list[StatementRow] = []
    for line in lines:
        row = _row_for(line, rows, loose)
        _add(row, line, split.get(line.booking_id, {}))
    return [*rows.values(), *loose]


def _row_for(line: PayoutLine, rows: dict, loose: list) -> StatementRow:
    if line.booking_id is None:
        loose.append(StatementRow(booking_reference="", offer=str(PayoutLineKind(line.kind).label),
                                  arrival=None, departure=None, traveller_name=""))
        return loose[-1]
    if line.booking_id not in rows:
        rows[line.booking_id] = _booking_row(line.booking)
    return rows[line.booking_id]


def _booking_row(booking: Booking) -> StatementRow:
    stay = booking.unit_id is not None
    return StatementRow(booking_reference=booking.reference, offer=offer_label(booking),
                        arrival=booking.arrival, departure=booking.departure if stay else None,
                        traveller_name=traveller_name(booking.traveller))


ENDED_KINDS = (PayoutLineKind.EARNING, PayoutLineKind.VOUCHER_COMPLEMENT)


def _add(row: StatementRow, line: PayoutLine, split: dict) -> None:
    if line.kind in ENDED_KINDS and not any(kind in ENDED_KINDS for kind in row.kinds):
        # Once per booking: a booking paid entirely by gift voucher has only a complement line.
        row.kept_cents += split.get("kept", 0)
        row.commission_cents += split.get("commission", 0)
    row.kinds.append(line.kind)
    row.amount_cents += line.amount_cents
    if line.kind == PayoutLineKind.EARNING:
        row.net_cents += line.amount_cents
    elif line.kind == PayoutLineKind.VOUCHER_COMPLEMENT:
        row.voucher_complement_cents += line.amount_cents
    else:
        row.refunds_debts_cents += line.amount_cents


def _split_of(booking_ids: set[int]) -> dict[int, dict[str, int]]:
    """Kept amount and commission of each booking, as its "booking ended" transaction shared
    it out (owner's net + commission + donation = kept, docs/payouts.md)."""
    rows = (LedgerEntry.objects.filter(booking_id__in=booking_ids, transaction__kind=TransactionKind.BOOKING_ENDED)
            .values("booking_id")
            .annotate(commission=-Sum("amount_cents", filter=Q(account__in=COMMISSION_ACCOUNTS)),
                      kept=-Sum("amount_cents", filter=Q(account__in=(*COMMISSION_ACCOUNTS,
                                                                       LedgerAccount.OWNER_PAYABLE)))))
    split: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        split[row["booking_id"]] = {"commission": row["commission"] or 0, "kept": row["kept"] or 0}
    return split


def statement_totals(payout: Payout, rows: list[StatementRow] | None = None) -> StatementTotals:
    rows = statement_rows(payout) if rows is None else rows
    return StatementTotals(
        kept_cents=sum(row.kept_cents for row in rows),
        commission_cents=sum(row.commission_cents for row in rows),
        net_cents=sum(row.net_cents for row in rows),
        voucher_complement_cents=sum(row.voucher_complement_cents for row in rows),
        refunds_debts_cents=sum(row.refunds_debts_cents for row in rows),
        amount_cents=sum(row.amount_cents for row in rows),
    )
