"""The ledger: what each money event posts, to the cent; append-only rows; refunds before and
after the end and after the payout (debts netted or recovered by a transfer reversal)."""
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.admin.sites import site
from django.db import connection

from bookings import services as bookings
from core.money import to_cents
from payouts import ledger, monthly
from payouts.models import (
    LedgerAccount,
    LedgerEntry,
    LedgerImmutable,
    LedgerTransaction,
    Payment,
    PaymentStatus,
    Payout,
    PayoutLineKind,
    PayoutStatus,
    TransactionKind,
)
from payouts.services import payment_succeeded

from .money import onboarded, paid_session, paid_stay, paris, refund, session_between

pytestmark = pytest.mark.django_db
A = LedgerAccount
NOV, DEC = date(2026, 11, 1), date(2026, 12, 1)


def entries(booking) -> dict[str, int]:
    return ledger._sums(LedgerEntry.objects.filter(booking=booking))


@pytest.fixture
def stay(unit, traveller):
    """28 → 31 October: 3 nights × 120 € + 40 € = 400 €, paid in September."""
    return paid_stay(unit, traveller, date(2026, 10, 28), date(2026, 10, 31))


def test_a_payment_is_held_for_its_booking_until_the_service_ends(stay):
    assert entries(stay) == {A.CASH: 40000, A.TRAVELLER_PREPAID: -40000}
    assert ledger.owner_balance(stay.owner_id) == 0


def test_the_end_splits_what_was_kept_at_the_rate_frozen_when_paid(stay, settings):
    settings.COMMISSION_RATE_LODGING = Decimal("0.20")  # changed after payment: not applied
    ledger.end_bookings(before=paris(2026, 11, 1), now=paris(2026, 11, 1))
    assert entries(stay) == {A.CASH: 40000, A.TRAVELLER_PREPAID: 0, A.OWNER_PAYABLE: -34800,
                             A.COMMISSION: -4800, A.DONATION_PAYABLE: -400}
    assert ledger.owner_balance(stay.owner_id) == 34800
    assert not ledger.unbalanced_transactions().exists()


def test_a_session_takes_the_experience_rate(session, traveller):
    booking = paid_session(session_between(session, paris(2026, 10, 10, 15), paris(2026, 10, 10, 17)), traveller)
    ledger.end_bookings(before=paris(2026, 11, 1), now=paris(2026, 11, 1))
    assert ledger.booking_split(booking) == ledger.Split(kept=9000, commission=1350, net=7650, donation=90)


def test_ended_is_posted_once_however_often_the_sweep_runs(stay):
    for _ in range(3):
        ledger.end_bookings(before=paris(2026, 11, 1), now=paris(2026, 11, 1))
    assert LedgerTransaction.objects.filter(kind=TransactionKind.BOOKING_ENDED).count() == 1


def test_a_late_cancellation_pays_the_owner_the_net_of_the_half_kept(stay, traveller, owner, stripe_server):
    """Cancelled 10 days before arrival (free cancellation ends 14 days before): 50 % back."""
    onboarded(owner, stripe_server)
    amount = bookings.cancel(booking=stay, by=traveller, now=paris(2026, 10, 18, 12))
    assert amount == Decimal("200.00")
    refund(stay, to_cents(amount), now=paris(2026, 10, 18, 12))
    monthly.run_payouts(month=NOV, now=paris(2026, 11, 1, 6))
    # Kept 200 €: commission 13 % = 26 € (TTC, of which 2 € donation), owner 174 €.
    assert ledger.booking_split(stay) == ledger.Split(kept=20000, commission=2600, net=17400, donation=200)
    payout = Payout.objects.get(owner=owner, month=NOV)
    assert payout.amount_cents == 17400
    assert [t["amount"] for t in stripe_server.transfers()] == [17400]


def test_a_full_refund_before_the_end_leaves_nothing_to_pay_or_invoice(stay, owner):
    refund(stay, 40000, now=paris(2026, 10, 1))
    monthly.run_payouts(month=NOV, now=paris(2026, 11, 1, 6))
    assert ledger.booking_split(stay) == ledger.Split(kept=0, commission=0, net=0, donation=0)
    assert not Payout.objects.exists()
    assert not LedgerEntry.objects.filter(booking=stay, account=A.COMMISSION).exists()


def test_a_refund_after_the_end_but_before_the_payout_is_netted_in_it(stay, owner, stripe_server):
    onboarded(owner, stripe_server)
    ledger.end_bookings(before=paris(2026, 11, 1), now=paris(2026, 10, 31, 12))
    refund(stay, 10000, now=paris(2026, 10, 31, 13))  # 100 € back: kept 300 €
    monthly.run_payouts(month=NOV, now=paris(2026, 11, 1, 6))
    payout = Payout.objects.get(owner=owner, month=NOV)
    assert payout.amount_cents == 30000 - 3900 == 26100
    assert sorted(payout.lines.values_list("kind", "amount_cents")) == [
        (PayoutLineKind.DEBT, -8700), (PayoutLineKind.EARNING, 34800)]


def test_a_refund_after_the_payout_is_a_debt_netted_from_the_next_payout(stay, owner, unit, traveller, stripe_server):
    account = onboarded(owner, stripe_server)
    monthly.run_payouts(month=NOV, now=paris(2026, 11, 1, 6))
    stripe_server.set_balance(account.stripe_account_id, 0)  # the owner's balance was paid out to their bank
    refund(stay, 10000, now=paris(2026, 11, 10))  # Δnet = 348 − 261 = 87 € owed back
    assert ledger.owner_balance(owner.pk) == -8700
    later = paid_stay(unit, traveller, date(2026, 11, 20), date(2026, 11, 23))
    monthly.run_payouts(month=DEC, now=paris(2026, 12, 1, 6))
    december = Payout.objects.get(owner=owner, month=DEC)
    assert december.amount_cents == 34800 - 8700
    assert december.lines.get(kind=PayoutLineKind.DEBT).booking == stay
    assert december.lines.get(kind=PayoutLineKind.EARNING).booking == later
    assert sorted(t["amount"] for t in stripe_server.transfers()) == [26100, 34800]


def test_a_debt_larger_than_the_month_is_carried_or_reversed_when_the_balance_covers_it(
        stay, owner, stripe_server, django_capture_on_commit_callbacks):
    account = onboarded(owner, stripe_server)
    monthly.run_payouts(month=NOV, now=paris(2026, 11, 1, 6))
    refund(stay, 40000, now=paris(2026, 11, 10))  # everything back: the owner owes 348 €
    stripe_server.set_balance(account.stripe_account_id, 50000)
    with django_capture_on_commit_callbacks(execute=True):
        monthly.run_payouts(month=DEC, now=paris(2026, 12, 1, 6))
    december = Payout.objects.get(owner=owner, month=DEC)
    assert december.status == PayoutStatus.NOTHING_DUE and december.amount_cents == 0
    [sent] = stripe_server.transfers()
    assert [r["amount"] for r in stripe_server.reversals(sent["id"])] == [34800]
    assert ledger.owner_balance(owner.pk) == 0  # the carried debt and its recovery net out
    assert not ledger.unbalanced_transactions().exists()


def test_a_debt_stays_carried_when_the_owner_balance_does_not_cover_it(stay, owner, stripe_server,
                                                                       django_capture_on_commit_callbacks):
    account = onboarded(owner, stripe_server)
    monthly.run_payouts(month=NOV, now=paris(2026, 11, 1, 6))
    refund(stay, 40000, now=paris(2026, 11, 10))
    stripe_server.set_balance(account.stripe_account_id, 100)
    with django_capture_on_commit_callbacks(execute=True):
        monthly.run_payouts(month=DEC, now=paris(2026, 12, 1, 6))
    [sent] = stripe_server.transfers()
    assert stripe_server.reversals(sent["id"]) == []
    assert ledger.owner_balance(owner.pk) == -34800
    carried = ledger.payable_entries(owner.pk, before=monthly.cutoff(date(2027, 1, 1)))
    assert [(e.transaction.kind, e.amount_cents) for e in carried] == [(TransactionKind.DEBT_CARRIED, 34800)]


def test_duplicate_and_late_payments_never_reach_the_owner(stay):
    duplicate = Payment.objects.create(booking=stay, amount_cents=40000, stripe_payment_intent_id="pi_dup",
                                       status=PaymentStatus.REQUIRES_PAYMENT)
    payment_succeeded(intent_id="pi_dup", amount_cents=40000, charge_id="ch_dup", now=paris(2026, 9, 2))
    duplicate.refresh_from_db()
    assert duplicate.is_duplicate
    ledger.end_bookings(before=paris(2026, 11, 1), now=paris(2026, 11, 1))
    assert entries(stay)[A.REFUNDS_DUE] == -40000
    assert ledger.booking_split(stay).kept == 40000  # the one payment the booking counts


def test_ledger_rows_are_never_changed_nor_deleted(stay):
    record = LedgerTransaction.objects.first()
    entry = record.entries.first()
    for action in (lambda: record.save(), lambda: entry.delete(),
                   lambda: LedgerEntry.objects.filter(pk=entry.pk).update(amount_cents=1),
                   lambda: LedgerTransaction.objects.all().delete()):
        with pytest.raises(LedgerImmutable):
            action()
    admin = site._registry[LedgerTransaction]
    assert not admin.has_change_permission(None, record) and not admin.has_delete_permission(None, record)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger is PostgreSQL's")
def test_postgresql_refuses_an_update_even_in_raw_sql(stay):
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE payouts_ledgerentry SET amount_cents = 1")


def test_an_unbalanced_posting_is_refused():
    with pytest.raises(ledger.Unbalanced):
        ledger.post(key="bad", kind=TransactionKind.ADJUSTMENT, occurred_at=paris(2026, 1, 1),
                    lines=[ledger.Line(A.CASH, 100), ledger.Line(A.COMMISSION, -99)])
    assert not LedgerTransaction.objects.filter(key="bad").exists()
