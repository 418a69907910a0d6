"""Spending one code at once (PostgreSQL, threads released by a barrier): the balance is
never overspent nor negative, each booking gets what was left, two tabs of one booking apply
it once."""
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.db.models import Sum
from django.utils import timezone

from bookings import services as bookings
from conftest import make_user
from vouchers import checkout
from vouchers.models import RedemptionStatus, Voucher, VoucherRedemption

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
]


def race(work, items):
    barrier = threading.Barrier(len(items))
    outcomes: list = []

    def run(item):
        try:
            barrier.wait()
            outcomes.append(work(item))
        except Exception as error:  # noqa: BLE001 — every outcome is asserted
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_six_bookings_spending_one_code_at_once_never_overspend_it(session, give_voucher):
    """200 € for six bookings of 45 €: four are paid in full, one gets the 20 € left, one nothing."""
    now = timezone.now()
    travellers = [make_user(f"ami{i}@example.fr") for i in range(6)]
    held = [bookings.book_session(traveller=t, session=session, adults=1, children=0, now=now) for t in travellers]
    voucher, code = give_voucher(20000)

    outcomes = race(lambda booking: checkout.apply_code(booking=booking, typed=code, user=booking.traveller,
                                                        now=timezone.now()), held)

    used = [o for o in outcomes if isinstance(o, VoucherRedemption)]
    refused = [o for o in outcomes if isinstance(o, checkout.VoucherError)]
    assert len(used) == 5 and len(refused) == 1, outcomes
    assert sorted(o.amount_cents for o in used) == [2000, 4500, 4500, 4500, 4500]
    voucher.refresh_from_db()
    assert voucher.balance_cents == 0
    total = VoucherRedemption.objects.filter(voucher=voucher, status=RedemptionStatus.HELD).aggregate(
        s=Sum("amount_cents"))["s"]
    assert total == 20000
    for booking in held:
        booking.refresh_from_db()
        assert booking.voucher_amount == Decimal(sum(o.amount_cents for o in used if o.booking_id == booking.pk)) / 100


def test_two_tabs_of_one_booking_apply_the_code_once(accepted_stay, give_voucher):
    voucher, code = give_voucher(50000)
    outcomes = race(lambda _tab: checkout.apply_code(booking=accepted_stay, typed=code,
                                                     user=accepted_stay.traveller, now=timezone.now()), [1, 2])
    assert sum(isinstance(o, VoucherRedemption) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, checkout.VoucherError) for o in outcomes) == 1, outcomes
    voucher.refresh_from_db()
    accepted_stay.refresh_from_db()
    assert voucher.balance_cents == 10000 and accepted_stay.voucher_amount == Decimal("400.00")


def test_the_database_refuses_a_negative_balance(give_voucher):
    from django.db import IntegrityError, transaction
    from django.db.models import F

    voucher, _code = give_voucher(1000)
    with pytest.raises(IntegrityError), transaction.atomic():
        Voucher.objects.filter(pk=voucher.pk).update(balance_cents=F("balance_cents") - 1001)
