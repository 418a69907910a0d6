"""The ledger property tests (test_ledger_properties.py) with real gift vouchers: each
voucher is sold by card (posted cash / voucher liability), its code applied at checkout
(vouchers.checkout), the rest paid by card or nothing (a 0 € booking), some bookings
cancelled before they start (card refunded first, the voucher part back on the voucher), then
partial refunds, the ended posting, three monthly runs. Whatever happens, to the cent:
- every ledger transaction sums to zero;
- per booking: card + voucher used = owner's net + commission + card refunded + voucher given back;
- what the owners were paid (complements included) = their nets, less debts, as before;
- the voucher liability in the ledger = the vouchers' balances (what can still be spent).
"""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bookings import services as bookings
from core.money import to_cents
from experiences.models import Session
from payouts import ledger, monthly
from payouts import services as payments
from payouts.models import LedgerAccount, PayoutLine, PayoutLineKind, Refund, RefundStatus
from vouchers import checkout, sales
from vouchers.models import Voucher, VoucherRedemption

from .money import another_unit, onboarded, paris, pay, refund
from .test_ledger_properties import _check, _refunds

pytestmark = pytest.mark.django_db

plans = st.fixed_dictionaries({
    "kind": st.sampled_from(["stay", "experience"]),
    "price": st.integers(min_value=2000, max_value=60_000),  # a night, or a person
    "day": st.integers(min_value=3, max_value=25),  # in October
    "voucher_share": st.sampled_from([10, 50, 90, 100, 130]),  # the voucher's amount, % of the price
    "cancel": st.sampled_from([None, None, "traveller", "owner"]),
    "refunds": st.lists(st.tuples(st.sampled_from(["before_end", "after_end", "after_payout"]),
                                  st.integers(min_value=1, max_value=100)), max_size=2),
})
BOOKED_AT = paris(2026, 9, 1, 10)


def _sold_voucher(cents: int, n: int) -> str:
    order = sales.create_order(amount_cents=max(min(cents, 150_000), 2000), buyer_name="Marc",
                               buyer_email="marc@example.fr", recipient_name="Lucie",
                               recipient_email="lucie@example.fr", recipient_language="fr", message="",
                               deliver_on=None, now=BOOKED_AT)
    # What the webhook does once Stripe says the voucher's PaymentIntent succeeded.
    order.stripe_payment_intent_id = f"pi_voucher_{n}_{order.reference}"
    order.save(update_fields=["stripe_payment_intent_id"])
    voucher = sales.order_paid(order=order, amount_cents=order.amount_cents, currency="eur", now=BOOKED_AT)
    return sales.deliver(voucher_id=voucher.pk, now=BOOKED_AT)


def _book(plan: dict, unit, session, traveller, n: int):
    arrival = date(2026, 10, plan["day"])
    if plan["kind"] == "stay":
        target = another_unit(unit, f"Chambre {n}", nightly=str(Decimal(plan["price"]) / 100))
        booking = bookings.request_stay(traveller=traveller, unit=target, arrival=arrival,
                                        departure=arrival + timedelta(days=2), adults=2, children=0, now=BOOKED_AT)
        bookings.accept(booking=booking, by=target.lodging.domain.owner, now=BOOKED_AT)
    else:
        start = paris(2026, 10, plan["day"], 15) + timedelta(minutes=n)
        held = Session.objects.create(experience=session.experience, start=start, end=start + timedelta(hours=2),
                                      capacity=10)
        held.experience.price_per_person = Decimal(plan["price"]) / 100
        held.experience.save()
        booking = bookings.book_session(traveller=traveller, session=held, adults=2, children=0, now=BOOKED_AT)
    code = _sold_voucher(to_cents(booking.total_price) * plan["voucher_share"] // 100, n)
    checkout.apply_code(booking=booking, typed=code, user=traveller, now=BOOKED_AT)
    booking.refresh_from_db()
    if payments.amount_due(booking) > 0:
        return pay(booking, now=BOOKED_AT)
    assert payments.confirm_without_card(booking=booking, now=BOOKED_AT)
    booking.refresh_from_db()
    return booking


def _cancel(booking, plan, traveller) -> None:
    """Cancelled in mid-September, before it starts; the card refund is what refund_owed does
    on commit (here, completed at once)."""
    if plan["cancel"] is None:
        return
    by = traveller if plan["cancel"] == "traveller" else booking.owner
    when = paris(2026, 9, 15, 12) if plan["day"] > 20 else paris(2026, 10, plan["day"] - 2, 12)  # late for some
    card = bookings.cancel(booking=booking, by=by, now=when)
    if card > 0:
        refund(booking, to_cents(card), now=when, key=f"cancel:{booking.pk}")


def _check_vouchers(made) -> None:
    for booking in made:
        booking.refresh_from_db()
        parts = ledger.booking_split(booking)
        uses = VoucherRedemption.objects.filter(booking=booking).exclude(status="released")
        used = uses.aggregate(total=Sum("amount_cents"))["total"] or 0
        given_back = uses.aggregate(total=Sum("restored_cents"))["total"] or 0
        card_refunded = Refund.objects.filter(payment__booking=booking, status=RefundStatus.SUCCEEDED).aggregate(
            total=Sum("amount_cents"))["total"] or 0
        assert to_cents(booking.amount_paid) + used == parts.net + parts.commission + card_refunded + given_back
        assert used - given_back == to_cents(booking.voucher_amount)
        complement = PayoutLine.objects.filter(booking=booking, kind=PayoutLineKind.VOUCHER_COMPLEMENT,
                                               released=False).aggregate(total=Sum("amount_cents"))["total"] or 0
        assert 0 <= complement <= parts.net
        if booking.amount_paid == 0 and parts.net:
            assert complement == parts.net  # a 0 € booking: all the owner's net is complement
    balances = Voucher.objects.aggregate(total=Sum("balance_cents"))["total"] or 0
    assert -ledger.account_balances().get(LedgerAccount.VOUCHER_LIABILITY, 0) == balances


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plans=st.lists(plans, min_size=1, max_size=3))
@example(plans=[{"kind": "stay", "price": 12345, "day": 10, "voucher_share": 100, "cancel": None, "refunds": []},
                {"kind": "experience", "price": 4501, "day": 22, "voucher_share": 50, "cancel": "traveller",
                 "refunds": []},
                {"kind": "stay", "price": 9999, "day": 5, "voucher_share": 90, "cancel": "traveller",
                 "refunds": [("after_payout", 100)]}])
def test_money_with_vouchers_always_adds_up(plans, owner, unit, session, traveller, stripe_server):
    with transaction.atomic():
        stripe_server.reset()
        onboarded(owner, stripe_server)
        made = [_book(plan, unit, session, traveller, n) for n, plan in enumerate(plans)]
        for booking, plan in zip(made, plans, strict=True):
            _cancel(booking, plan, traveller)
        _refunds(made, plans, "before_end", paris(2026, 10, 1))
        ledger.end_bookings(before=paris(2026, 11, 1), now=paris(2026, 10, 31, 23, 30))
        _refunds(made, plans, "after_end", paris(2026, 10, 31, 23, 40))
        monthly.run_payouts(month=date(2026, 11, 1), now=paris(2026, 11, 1, 6))
        _refunds(made, plans, "after_payout", paris(2026, 11, 10))
        monthly.run_payouts(month=date(2026, 12, 1), now=paris(2026, 12, 1, 6))
        _check(owner.pk, made)
        _check_vouchers(made)
        transaction.set_rollback(True)
