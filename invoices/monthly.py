"""The monthly run (`issue_invoices --month YYYY-MM`, beat the 1st at 07:00 after run_payouts):
for each owner, the month's commission invoice, then credit notes for commission given back
on bookings invoiced before, then the owner's monthly email (invoices.emails). Each document
is its own transaction (invoices.services), so one owner's failure stops nobody else's, and
running the month again, or twice at once, issues nothing twice."""
import logging
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction

from accounts.models import User
from core.dates import paris_midnight
from payouts import ledger
from payouts.models import Payout, PayoutStatus
from payouts.monthly import payout_month

from . import emails, services, sources
from .models import Invoice, Settlement

log = logging.getLogger(__name__)


@dataclass
class MonthResult:
    invoices: list[Invoice] = field(default_factory=list)
    credit_notes: list[Invoice] = field(default_factory=list)


# The month a run at `now` issues is the one it pays: the 1st of the current month in Paris.
current_month = payout_month


def issue_invoices(*, month: date, now: datetime) -> MonthResult:
    cutoff = paris_midnight(month)
    if cutoff > now:
        raise ValueError(f"{month:%Y-%m} has not started: nothing can be invoiced for it yet")
    # The bookings that ended before the cutoff are all posted (run_payouts did it at 06:00;
    # idempotent), so the invoice bills the same bookings as the month's payout.
    ledger.end_bookings(before=cutoff, now=now)
    result = MonthResult()
    for owner in sources.owners_to_invoice(cutoff=cutoff):
        issued = issue_for_owner(owner=owner, month=month, cutoff=cutoff, now=now)
        result.invoices += [doc for doc in issued if not doc.is_credit_note]
        result.credit_notes += [doc for doc in issued if doc.is_credit_note]
    log.info("invoices %s: %d invoices, %d credit notes", f"{month:%Y-%m}", len(result.invoices),
             len(result.credit_notes))
    for owner_id in {payout.owner_id for payout in Payout.objects.filter(month=month)} | {
            doc.owner_id for doc in result.invoices + result.credit_notes}:
        transaction.on_commit(lambda owner_id=owner_id: emails.send_monthly_later(owner_id=owner_id, month=month))
    return result


def issue_for_owner(*, owner: User, month: date, cutoff: datetime, now: datetime) -> list[Invoice]:
    settlement, reference = settlement_of(owner=owner, month=month)
    issued: list[Invoice] = []
    invoice = services.issue_invoice(owner=owner, month=month, settlement=settlement, transfer_reference=reference,
                                     charges=lambda: sources.commission_charges(owner=owner, cutoff=cutoff), now=now)
    if invoice is not None:
        issued.append(invoice)
    for original, charges in sources.correction_charges(owner=owner, cutoff=cutoff).items():
        note = services.issue_credit_note(original=original, month=month, charges=charges, now=now,
                                          reason="commission sur un remboursement après la prestation")
        if note is not None:
            issued.append(note)
    for document in issued:
        log.info("%s %s issued to owner %s", document.kind, document.number, owner.pk,
                 extra={"invoice": document.number, "owner_id": owner.pk, "total_ttc_cents": document.total_ttc_cents})
    return issued


def settlement_of(*, owner: User, month: date) -> tuple[Settlement, str]:
    """Paid by compensation on the month's transfer when it went out; else on the next one
    (Stripe onboarding unfinished, transfer pending or failed: the commission is kept anyway)."""
    payout = Payout.objects.filter(owner=owner, month=month).first()
    if payout is not None and payout.status == PayoutStatus.SENT and payout.stripe_transfer_id:
        return Settlement.PAID, payout.stripe_transfer_id
    return Settlement.NEXT_TRANSFER, ""
