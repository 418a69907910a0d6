"""Property tests (Hypothesis) over random prices, voucher parts, both kinds of offer and
partial refunds before the end, after the end and after the payout, through three monthly
runs against the local Stripe server. Whatever happens, to the cent:
- every ledger transaction sums to zero;
- per booking: card + voucher = owner's net + commission + refunded;
- the owners' nets of ended bookings = all transfers − what was reversed − debts still owed.
"""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core.money import to_cents
from experiences.models import Session
from payouts import ledger, monthly
from payouts.models import LedgerEntry, Payout, PayoutStatus, Refund, RefundStatus, TransactionKind

from .money import another_unit, onboarded, paris, pay, refund

pytestmark = pytest.mark.django_db

cents = st.integers(min_value=100, max_value=150_000)
booking_plans = st.fixed_dictionaries({
    "kind": st.sampled_from(["stay", "experience"]),
    "price": cents,  # a night, or a person
    "day": st.integers(min_value=3, max_value=25),  # in October
    "voucher_share": st.sampled_from([0, 0, 10, 50, 90]),  # % of the price paid by a gift voucher
    "refunds": st.lists(st.tuples(st.sampled_from(["before_end", "after_end", "after_payout"]),
                                  st.integers(min_value=1, max_value=100)), max_size=3),  # % of what is left
})


def _book(plan: dict, unit, session, traveller, n: int):
    booked_at = paris(2026, 9, 1, 10)
    arrival = date(2026, 10, plan["day"])
    if plan["kind"] == "stay":
        target = another_unit(unit, f"Chambre {n}", nightly=str(Decimal(plan["price"]) / 100))
        booking = paid_stay_with_voucher(target, traveller, arrival, plan, booked_at)
    else:
        start = paris(2026, 10, plan["day"], 15) + timedelta(minutes=n)  # one session per booking
        held = Session.objects.create(experience=session.experience, start=start, end=start + timedelta(hours=2),
                                      capacity=10)
        held.experience.price_per_person = Decimal(plan["price"]) / 100
        held.experience.save()
        booking = paid_session_with_voucher(held, traveller, plan, booked_at)
    return booking


def _voucher(booking, plan) -> None:
    voucher = to_cents(booking.total_price) * plan["voucher_share"] // 100
    booking.voucher_amount = Decimal(voucher) / 100
    booking.save(update_fields=["voucher_amount"])


def paid_stay_with_voucher(unit, traveller, arrival, plan, now):
    from bookings import services as bookings

    booking = bookings.request_stay(traveller=traveller, unit=unit, arrival=arrival,
                                    departure=arrival + timedelta(days=2), adults=2, children=0, now=now)
    bookings.accept(booking=booking, by=unit.lodging.domain.owner, now=now)
    _voucher(booking, plan)
    return pay(booking, now=now)


def paid_session_with_voucher(session, traveller, plan, now):
    from bookings import services as bookings

    booking = bookings.book_session(traveller=traveller, session=session, adults=2, children=0, now=now)
    _voucher(booking, plan)
    return pay(booking, now=now)


def _refunds(bookings, plans, moment: str, now) -> None:
    for booking, plan in zip(bookings, plans, strict=True):
        for when, percent in plan["refunds"]:
            booking.refresh_from_db()
            left = to_cents(booking.amount_paid - booking.refunded_amount)
            amount = left * percent // 100
            if when == moment and amount > 0:
                refund(booking, amount, now=now, key=f"prop:{booking.pk}:{moment}:{percent}:{left}")


def _check(owner_id: int, bookings) -> None:
    assert not ledger.unbalanced_transactions().exists()
    for booking in bookings:
        booking.refresh_from_db()
        parts = ledger.booking_split(booking)
        refunded = Refund.objects.filter(payment__booking=booking, status=RefundStatus.SUCCEEDED).aggregate(
            total=Sum("amount_cents"))["total"] or 0
        assert to_cents(booking.amount_paid) + to_cents(booking.voucher_amount) == parts.net + parts.commission + refunded
        assert parts.commission >= parts.donation >= 0
    transferred = Payout.objects.filter(owner_id=owner_id, status=PayoutStatus.SENT).aggregate(
        total=Sum("amount_cents"))["total"] or 0
    reversed_back = -(LedgerEntry.objects.filter(
        owner_id=owner_id, transaction__kind=TransactionKind.TRANSFER_REVERSAL).aggregate(
        total=Sum("amount_cents"))["total"] or 0)
    nets = sum(ledger.booking_split(b).net for b in bookings)
    balance = ledger.owner_balance(owner_id)
    assert balance <= 0  # everything ended was paid: what is left can only be a debt
    debt = -balance
    # The owner received the nets of what they kept, plus what they still owe back (a
    # refund after the payout they have not repaid yet): nets = transfers − reversed − debt.
    assert nets == transferred - reversed_back - debt


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plans=st.lists(booking_plans, min_size=1, max_size=4))
@example(plans=[{"kind": "stay", "price": 12345, "day": 10, "voucher_share": 50, "refunds": [("after_payout", 100)]},
                {"kind": "experience", "price": 4501, "day": 12, "voucher_share": 0,
                 "refunds": [("before_end", 30), ("after_end", 50), ("after_payout", 33)]}])
@example(plans=[{"kind": "experience", "price": 333, "day": 20, "voucher_share": 0,
                 "refunds": [("after_payout", 100)]}])
def test_money_always_adds_up(plans, owner, unit, session, traveller, stripe_server):
    with transaction.atomic():
        stripe_server.reset()
        onboarded(owner, stripe_server)
        made = [_book(plan, unit, session, traveller, n) for n, plan in enumerate(plans)]
        _refunds(made, plans, "before_end", paris(2026, 10, 1))
        ledger.end_bookings(before=paris(2026, 11, 1), now=paris(2026, 10, 31, 23, 30))
        _refunds(made, plans, "after_end", paris(2026, 10, 31, 23, 40))
        monthly.run_payouts(month=date(2026, 11, 1), now=paris(2026, 11, 1, 6))
        _refunds(made, plans, "after_payout", paris(2026, 11, 10))
        monthly.run_payouts(month=date(2026, 12, 1), now=paris(2026, 12, 1, 6))
        _check(owner.pk, made)
        transaction.set_rollback(True)
