"""Property tests (Hypothesis) over random prices, voucher parts, both kinds of offer and
partial refunds before the end, after the end and after the payout, through three monthly
runs against the local Stripe server, stays with or without the taxe de séjour (classified,
non-classified, professional host). Whatever happens, to the cent:
- every ledger transaction sums to zero;
- per booking: card + voucher = owner's net + commission + tourist tax + refunded, the tax never
  more than the one frozen on the stay (none for experiences and professional hosts, none left
  after a full refund);
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
from touristtax.models import BookingTax, Commune, Tariff

from .money import another_unit, onboarded, paris, pay, refund

pytestmark = pytest.mark.django_db

cents = st.integers(min_value=100, max_value=150_000)
booking_plans = st.fixed_dictionaries({
    "kind": st.sampled_from(["stay", "experience"]),
    "price": cents,  # a night, or a person
    "day": st.integers(min_value=3, max_value=25),  # in October
    "voucher_share": st.sampled_from([0, 0, 10, 50, 90]),  # % of the price paid by a gift voucher
    "tax": st.sampled_from(["none", "classified", "non_classified", "professional"]),  # stays only
    "children": st.integers(min_value=0, max_value=2),
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


TAX_SETTINGS = {"none": ("", "3", False), "classified": ("49328", "3", False),
                "non_classified": ("49328", "non_classe", False), "professional": ("49328", "3", True)}


def _tariffs() -> None:
    """Saumur: 3 étoiles 1,20 €, the highest 2,50 €, non classés 5 % (capped), 10 % + 15 % on top."""
    commune = Commune.objects.create(insee_code="49328", name="Saumur")
    for category, amount in [("3", "1.20"), ("5", "2.50")]:
        Tariff.objects.create(commune=commune, category=category, valid_from=date(2024, 1, 1),
                              per_person_night=Decimal(amount), regional_rate=Decimal("15"))
    Tariff.objects.create(commune=commune, category="non_classe", valid_from=date(2024, 1, 1),
                          rate_percent=Decimal("5"), regional_rate=Decimal("15"))


def paid_stay_with_voucher(unit, traveller, arrival, plan, now):
    from bookings import services as bookings

    lodging = unit.lodging
    lodging.commune_insee, lodging.tax_classification, lodging.host_is_professional = TAX_SETTINGS[plan["tax"]]
    lodging.save(update_fields=["commune_insee", "tax_classification", "host_is_professional"])
    booking = bookings.request_stay(traveller=traveller, unit=unit, arrival=arrival,
                                    departure=arrival + timedelta(days=2), adults=2, children=plan["children"],
                                    now=now)
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
        tax = -(LedgerEntry.objects.filter(booking=booking, account="tourist_tax_payable").aggregate(
            total=Sum("amount_cents"))["total"] or 0)
        frozen = BookingTax.objects.filter(booking=booking, status="collected").values_list("amount", flat=True)
        assert 0 <= tax <= (to_cents(frozen[0]) if frozen else 0)
        assert to_cents(booking.amount_paid) + to_cents(booking.voucher_amount) == (
            parts.net + parts.commission + tax + refunded)
        assert parts.commission >= parts.donation >= 0
        if parts.kept == 0:  # everything given back: the tax too
            assert tax == 0
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
@example(plans=[{"kind": "stay", "price": 12345, "day": 10, "voucher_share": 50, "refunds": [("after_payout", 100)],
                 "tax": "classified", "children": 1},
                {"kind": "experience", "price": 4501, "day": 12, "voucher_share": 0,
                 "refunds": [("before_end", 30), ("after_end", 50), ("after_payout", 33)], "tax": "none",
                 "children": 0}])
@example(plans=[{"kind": "experience", "price": 333, "day": 20, "voucher_share": 0,
                 "refunds": [("after_payout", 100)], "tax": "none", "children": 0}])
@example(plans=[{"kind": "stay", "price": 9999, "day": 5, "voucher_share": 0, "tax": "non_classified", "children": 2,
                 "refunds": [("before_end", 50), ("after_end", 33), ("after_payout", 100)]},
                {"kind": "stay", "price": 100, "day": 6, "voucher_share": 90, "tax": "professional", "children": 0,
                 "refunds": [("after_end", 100)]}])
def test_money_always_adds_up(plans, owner, unit, session, traveller, stripe_server):
    with transaction.atomic():
        stripe_server.reset()
        onboarded(owner, stripe_server)
        _tariffs()
        made = [_book(plan, unit, session, traveller, n) for n, plan in enumerate(plans)]
        _refunds(made, plans, "before_end", paris(2026, 10, 1))
        ledger.end_bookings(before=paris(2026, 11, 1), now=paris(2026, 10, 31, 23, 30))
        _refunds(made, plans, "after_end", paris(2026, 10, 31, 23, 40))
        monthly.run_payouts(month=date(2026, 11, 1), now=paris(2026, 11, 1, 6))
        _refunds(made, plans, "after_payout", paris(2026, 11, 10))
        monthly.run_payouts(month=date(2026, 12, 1), now=paris(2026, 12, 1, 6))
        _check(owner.pk, made)
        transaction.set_rollback(True)
