"""Monthly payouts (docs/payouts.md): on the 1st of a month, each owner is paid, by one Stripe
Transfer to their connected account, every ledger amount that became payable for a service
that ended before the 1st at 00:00 in Paris and was not paid yet.

Exactly once:
1. `write_payout`: the `Payout` row (unique per owner and month) and its lines (an entry in one
   live line at most) in one transaction, the payout row locked.
2. After commit, `send_payout`: a lease on the row (compare-and-set), then the Transfer with the
   idempotency key `alma-payout-<id>` (the SDK retries network errors and 5xx with that key).
   A payout tried before is first looked up by its `transfer_group` at Stripe.
3. Stripe said no for good, or failed every retry and the lookup shows no transfer: failed,
   lines released (the money stays payable), staff alerted. Stripe unreachable even for the
   lookup: left pending, in doubt, for `retry_payouts`; nothing is ever sent twice.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q

from accounts.models import User
from core import dates
from core.dates import PARIS, paris_midnight, today_in_paris
from core.money import format_cents

from . import ledger
from . import stripe_adapter as stripe
from .models import (
    ConnectedAccount,
    LedgerAccount,
    Payout,
    PayoutLine,
    PayoutLineKind,
    PayoutStatus,
    TransactionKind,
)

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=10)  # a Stripe call in flight is left alone this long
WRITABLE_AGAIN = (PayoutStatus.WAITING_ONBOARDING, PayoutStatus.FAILED, PayoutStatus.HELD)


@dataclass
class RunReport:
    month: date
    written: int = 0
    sent: int = 0
    waiting: int = 0
    failed: int = 0
    in_doubt: int = 0
    statuses: dict[int, str] = field(default_factory=dict)


# --- The month ---------------------------------------------------------------------------------

def payout_month(now: datetime) -> date:
    """The month a run at `now` pays: the current month in Paris (00:30 on 1 November in
    Paris is still 31 October in UTC, and pays October's services)."""
    return today_in_paris(now).replace(day=1)


def parse_month(value: str) -> date:
    """"2026-11" → 1 November 2026; ValueError for anything else (years 2000–2199 only)."""
    return dates.parse_month(value)


def cutoff(month: date) -> datetime:
    """Services that ended before this instant are paid on the 1st of `month`."""
    return paris_midnight(month)


def paid_on(service_end: datetime) -> date:
    """The 1st a service ending at `service_end` is paid on: the first 1st strictly after it
    (Paris), so a stay leaving on 1 November (ended at its 00:00) is paid on 1 December."""
    first = service_end.astimezone(PARIS).date().replace(day=1)
    return (first + timedelta(days=32)).replace(day=1)


# --- The run -----------------------------------------------------------------------------------

def run_payouts(*, month: date, now: datetime) -> RunReport:
    """Pay every owner for `month` (the 1st it is paid on). Safe to run again, or twice at once."""
    before = cutoff(month)
    if before > now:
        raise ValueError(f"{month:%Y-%m} has not started: nothing can be paid for it yet")
    ledger.end_bookings(before=before, now=now)
    report = RunReport(month=month)
    for owner_id in owners_to_pay(month=month):
        payout = write_payout(owner_id=owner_id, month=month, now=now)
        if payout is None:
            continue  # nothing payable this month
        report.written += 1
        if payout.status == PayoutStatus.PENDING:
            payout = send_payout(payout_id=payout.pk, now=now, leased=payout if payout.written_now else None)
        _count(report, payout)
    return report


def _count(report: RunReport, payout: Payout) -> None:
    report.statuses[payout.owner_id] = payout.status
    if payout.status == PayoutStatus.SENT:
        report.sent += 1
    elif payout.status in (PayoutStatus.WAITING_ONBOARDING, PayoutStatus.HELD):
        report.waiting += 1
    elif payout.status == PayoutStatus.FAILED:
        report.failed += 1
    elif payout.status == PayoutStatus.PENDING:
        report.in_doubt += 1


def owners_to_pay(*, month: date) -> list[int]:
    """Owners who ever earned (each is checked for something payable), and those whose
    payout of this month is unfinished."""
    owners = set(ledger.owners_with_earnings())
    owners |= set(Payout.objects.filter(month=month, status__in=(*WRITABLE_AGAIN, PayoutStatus.PENDING))
                  .values_list("owner_id", flat=True))
    return sorted(owners)


# --- 1. Writing a payout -------------------------------------------------------------------------

def write_payout(*, owner_id: int, month: date, now: datetime) -> Payout | None:
    """The owner's payout of `month` with its lines, in one transaction under the row's lock
    (None when nothing is payable). An existing payout is returned as it is, unless it waits
    (for onboarding, after a failure, held): then it is written again with what is payable now."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                payout = Payout.objects.select_for_update().filter(owner_id=owner_id, month=month).first()
                if payout is not None and payout.status not in WRITABLE_AGAIN:
                    return payout
                entries = ledger.payable_entries(owner_id, before=cutoff(month))
                if payout is None:
                    if not entries:
                        return None
                    # Unique (owner, month): if a concurrent run inserted it, IntegrityError → read theirs.
                    payout = Payout.objects.create(owner_id=owner_id, month=month, status=PayoutStatus.PENDING)
                    _fill(payout, entries, fresh=True, now=now)
                else:
                    _fill(payout, entries, fresh=False, now=now)
                return payout
        except IntegrityError:  # a concurrent run inserted the row or took an entry: read theirs
            continue
    raise RuntimeError(f"payout of owner {owner_id} for {month} kept conflicting")


def _fill(payout: Payout, entries: list[ledger.Payable], *, fresh: bool, now: datetime) -> None:
    if not fresh:  # written again: forget the old lines, a new idempotency key for a new amount
        PayoutLine.objects.filter(payout=payout, released=False).update(released=True)
        payout.generation += 1
    total = -sum(entry.amount_cents for entry in entries)
    account = ConnectedAccount.objects.filter(owner_id=payout.owner_id).first()
    payout.amount_cents, payout.attempts, payout.attempted_at, payout.last_error = max(total, 0), 0, None, ""
    payout.transfer_group = f"payout-{payout.pk}"
    payout.written_now = True  # by this call, in this transaction (not a row read back)
    if total > 0 and (account is None or not account.can_receive_transfers):
        _wait(payout, account, now)
    else:
        _attach(payout, entries)
        if total < 0:
            _carry_debt(payout, -total, now)
        payout.status = PayoutStatus.PENDING if total > 0 else PayoutStatus.NOTHING_DUE
        payout.stripe_account_id = account.stripe_account_id if account else ""
        if total > 0:  # the writer holds the lease on the Stripe call it makes right after commit
            payout.attempted_at, payout.attempts = now, 1
    payout.save()


def _wait(payout: Payout, account: ConnectedAccount | None, now: datetime) -> None:
    """Nothing attached: the entries accumulate until the account can receive transfers. A
    deleted owner whose account on record cannot receive them is held and staff are told."""
    owner = User.objects.get(pk=payout.owner_id)
    if owner.deleted_at is not None:  # they will not finish an onboarding: staff decide
        payout.status = PayoutStatus.HELD
        transaction.on_commit(lambda: alert_staff(payout_id=payout.pk, now=now), robust=True)
    else:
        payout.status = PayoutStatus.WAITING_ONBOARDING


def _attach(payout: Payout, entries: list[ledger.Payable]) -> None:
    PayoutLine.objects.bulk_create([
        PayoutLine(payout=payout, entry_id=entry.pk, booking_id=entry.booking_id, kind=_line_kind(entry),
                   amount_cents=-entry.amount_cents) for entry in entries])


def _line_kind(entry: ledger.Payable) -> str:
    kind = entry.kind
    if kind == TransactionKind.BOOKING_ENDED:
        return PayoutLineKind.EARNING
    if kind == TransactionKind.TRANSFER_REVERSAL:
        return PayoutLineKind.REVERSAL_RECOVERED
    if kind == TransactionKind.DEBT_CARRIED:
        return PayoutLineKind.DEBT_CARRIED
    return PayoutLineKind.DEBT if entry.amount_cents > 0 else PayoutLineKind.ADJUSTMENT


def _carry_debt(payout: Payout, debt: int, now: datetime) -> None:
    """Debts exceed earnings: this payout settles to zero and the rest is carried to the next
    month as a new owner_payable entry (shown on both statements), unless recovered first."""
    record = ledger.post(key=f"carry:{payout.pk}:g{payout.generation}", kind=TransactionKind.DEBT_CARRIED,
                         occurred_at=now, payout_id=payout.pk, memo="dette reportée au mois suivant",
                         lines=[ledger.Line(LedgerAccount.OWNER_PAYABLE, -debt, owner_id=payout.owner_id),
                                ledger.Line(LedgerAccount.OWNER_PAYABLE, debt, owner_id=payout.owner_id)])
    if record is None:
        return
    settled = record.entries.get(amount_cents=-debt)
    PayoutLine.objects.create(payout=payout, entry=settled, kind=PayoutLineKind.DEBT_CARRIED, amount_cents=debt)
    transaction.on_commit(lambda: recover_debt(payout_id=payout.pk, debt_cents=debt, now=now), robust=True)


# --- 2. Sending it --------------------------------------------------------------------------------

def send_payout(*, payout_id: int, now: datetime, leased: Payout | None = None) -> Payout:
    """The Stripe Transfer of a pending payout, once. Called after the payout's commit.
    `leased`: the payout this process just wrote, with the lease taken in that transaction
    (one commit less per owner); otherwise the lease is taken here by compare-and-set."""
    payout = leased
    if payout is None:
        payout = Payout.objects.get(pk=payout_id)
        if payout.status != PayoutStatus.PENDING or not _take_lease(payout, now):
            return Payout.objects.get(pk=payout_id)
        payout.attempts += 1
    if payout.attempts > 1 or now - payout.created_at > timedelta(hours=23):
        found = _look_up(payout, now)
        if found is not None:
            return found
    try:
        transfer = stripe.create_transfer(
            amount_cents=payout.amount_cents, destination=payout.stripe_account_id,
            transfer_group=payout.transfer_group, idempotency_key=payout.idempotency_key,
            description=f"Alma Heritage {payout.month:%m/%Y}",
            metadata={"alma_payout": str(payout.pk), "alma_owner": str(payout.owner_id),
                      "month": f"{payout.month:%Y-%m}"})
    except stripe.StripeRefused as error:
        return _failed(payout, str(error), now)
    except stripe.StripeUnavailable as error:
        return _after_retries(payout, str(error), now)
    return mark_sent(payout_id=payout.pk, transfer_id=transfer["id"], now=now)


def _take_lease(payout: Payout, now: datetime) -> bool:
    free = Q(attempted_at__isnull=True) | Q(attempted_at__lte=now - LEASE)
    taken = Payout.objects.filter(free, pk=payout.pk, status=PayoutStatus.PENDING).update(
        attempted_at=now, attempts=F("attempts") + 1) == 1
    return taken


def _look_up(payout: Payout, now: datetime) -> Payout | None:
    """A transfer already made for this payout (its answer was lost): record it. None when
    Stripe has none; raises nothing: if Stripe cannot even be asked, the payout stays pending."""
    try:
        found = stripe.find_transfers(transfer_group=payout.transfer_group)
    except stripe.StripeUnavailable as error:
        _note(payout, f"recherche du virement impossible : {error}")
        return Payout.objects.get(pk=payout.pk)
    if found:
        return mark_sent(payout_id=payout.pk, transfer_id=found[0]["id"], now=now)
    return None


def _after_retries(payout: Payout, error: str, now: datetime) -> Payout:
    """The SDK's retries are spent. Failed only if Stripe confirms no transfer exists."""
    try:
        found = stripe.find_transfers(transfer_group=payout.transfer_group)
    except stripe.StripeUnavailable:
        _note(payout, error)
        _alert_once(payout, now)
        return Payout.objects.get(pk=payout.pk)  # in doubt: retry_payouts looks it up later
    if found:
        return mark_sent(payout_id=payout.pk, transfer_id=found[0]["id"], now=now)
    return _failed(payout, error, now)


def _note(payout: Payout, error: str) -> None:
    Payout.objects.filter(pk=payout.pk).update(last_error=error[:500])


def mark_sent(*, payout_id: int, transfer_id: str, now: datetime) -> Payout:
    """Stripe made the transfer: the row says so and the ledger pays the owner, together."""
    with transaction.atomic():
        sent = Payout.objects.filter(pk=payout_id, status=PayoutStatus.PENDING).update(
            status=PayoutStatus.SENT, stripe_transfer_id=transfer_id, sent_at=now, last_error="") == 1
        payout = Payout.objects.get(pk=payout_id)
        if sent:
            ledger.post_payout_sent(payout=payout, now=now)
            log.info("payout %s sent: %s cents to owner %s for %s", payout.pk, payout.amount_cents, payout.owner_id,
                     f"{payout.month:%Y-%m}", extra={"payout": payout.pk, "owner_id": payout.owner_id,
                                                     "amount_cents": payout.amount_cents})
        elif payout.status == PayoutStatus.FAILED:
            # Never expected (failed means Stripe confirmed no transfer): staff must look.
            log.error("payout %s marked failed was in fact sent as %s", payout.pk, transfer_id)
            Payout.objects.filter(pk=payout.pk).update(last_error=f"virement {transfer_id} trouvé après l'échec"[:500])
    return payout


def _failed(payout: Payout, error: str, now: datetime) -> Payout:
    """Failed for good: the lines are released (the money stays payable for the next run or
    a staff re-run of the month), staff are alerted."""
    with transaction.atomic():
        done = Payout.objects.filter(pk=payout.pk, status=PayoutStatus.PENDING).update(
            status=PayoutStatus.FAILED, last_error=error[:500])
        if done:
            PayoutLine.objects.filter(payout=payout, released=False).update(released=True)
            transaction.on_commit(lambda: alert_staff(payout_id=payout.pk, now=now), robust=True)
    log.error("payout %s failed: %s", payout.pk, error)
    return Payout.objects.get(pk=payout.pk)


def _alert_once(payout: Payout, now: datetime) -> None:
    if Payout.objects.filter(pk=payout.pk, staff_alerted_at__isnull=True).exists():
        alert_staff(payout_id=payout.pk, now=now)


def alert_staff(*, payout_id: int, now: datetime) -> None:
    """An email to the owners' team inbox (French, the staff's language); the admin lists
    the payout with its status and error."""
    payout = Payout.objects.select_related("owner").get(pk=payout_id)
    situation = {PayoutStatus.FAILED: "a échoué", PayoutStatus.HELD: "est retenu (propriétaire supprimé, "
                 "aucun compte Stripe enregistré)", PayoutStatus.PENDING: "est incertain (Stripe injoignable)"}
    what = situation.get(payout.status, payout.get_status_display())
    send_mail(f"[Alma Heritage] Versement {payout.month:%m/%Y} de {payout.owner.email} : {what}",
              f"Versement n° {payout.pk} ({format_cents(_payable_now(payout))}) {what}.\n"
              f"Dernière erreur : {payout.last_error or '—'}\n"
              f"L'argent reste dû au propriétaire. Voir l'administration > Versements.\n",
              None, [settings.STAFF_INBOX_OWNERS])
    Payout.objects.filter(pk=payout.pk).update(staff_alerted_at=now)


def _payable_now(payout: Payout) -> int:
    return payout.amount_cents or -sum(e.amount_cents for e in ledger.payable_entries(
        payout.owner_id, before=cutoff(payout.month)))


def retry_payouts(*, now: datetime) -> int:
    """The sweep: pending payouts whose Stripe call did not conclude (in doubt, or a crash
    after commit). Each is looked up at Stripe before anything is sent again."""
    stale = Payout.objects.filter(Q(attempted_at__lte=now - LEASE) | Q(attempted_at__isnull=True,
                                                                       created_at__lte=now - LEASE),
                                  status=PayoutStatus.PENDING)
    return sum(send_payout(payout_id=pk, now=now).status == PayoutStatus.SENT
               for pk in stale.order_by("pk").values_list("pk", flat=True)[:200])


# --- Debts -------------------------------------------------------------------------------------------

def recover_debt(*, payout_id: int, debt_cents: int, now: datetime) -> bool:
    """A debt carried after `payout_id`: reverse it from an earlier transfer when the owner's
    Stripe balance covers it; otherwise it stays carried and is netted from the next payouts."""
    payout = Payout.objects.get(pk=payout_id)
    source = (Payout.objects.filter(owner_id=payout.owner_id, status=PayoutStatus.SENT, amount_cents__gte=debt_cents)
              .exclude(stripe_transfer_id="").order_by("-month").first())
    if source is None or not payout.stripe_account_id:
        return False
    try:
        if stripe.available_balance(payout.stripe_account_id) < debt_cents:
            return False
        reversal = stripe.create_reversal(transfer_id=source.stripe_transfer_id, amount_cents=debt_cents,
                                          idempotency_key=f"alma-debt-{payout.pk}-g{payout.generation}",
                                          metadata={"alma_payout": str(payout.pk)})
    except stripe.StripeUnavailable as error:
        log.warning("debt of payout %s not recovered (%s): netted from the next payouts", payout.pk, error)
        return False
    ledger.post_reversal(reversal_id=reversal["id"], payout=source, amount_cents=debt_cents, now=now,
                         memo=f"dette du versement {payout.pk} reprise")
    return True


# --- What Stripe tells us about transfers (webhook) ------------------------------------------------

def transfer_seen(*, data: dict, now: datetime) -> Payout | None:
    """`transfer.*`: a transfer of one of our payouts (by its transfer_group). A pending
    payout whose API answer was lost is recorded as sent; reversals Stripe reports (ours, or
    made in Stripe's dashboard) are posted once each. Unknown transfers are ignored."""
    group = str(data.get("transfer_group") or "")
    payout = Payout.objects.filter(transfer_group=group).first() if group.startswith("payout-") else None
    if payout is None:
        log.info("transfer %s is not one of our payouts", data.get("id"))
        return None
    if (payout.status == PayoutStatus.PENDING and int(data.get("amount") or 0) == payout.amount_cents
            and data.get("destination") == payout.stripe_account_id):
        payout = mark_sent(payout_id=payout.pk, transfer_id=data["id"], now=now)
    if payout.status == PayoutStatus.SENT and payout.stripe_transfer_id == data.get("id"):
        for reversal in (data.get("reversals") or {}).get("data") or []:
            ledger.post_reversal(reversal_id=reversal["id"], payout=payout, amount_cents=int(reversal["amount"]),
                                 now=now, memo="reprise signalée par Stripe")
    return payout
