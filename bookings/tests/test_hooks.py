"""The calendar re-check before a commitment (bookings/hooks.py): once before the owner's
acceptance, once before the traveller pays (or when an instant checkout is created), never
once the money has moved."""
import logging
from datetime import date, timedelta
from decimal import Decimal

import pytest

from bookings import hooks, services
from bookings.models import Booking, BookingStatus, ExternalBlock

pytestmark = pytest.mark.django_db
D = date.fromisoformat


@pytest.fixture
def rechecks():
    """The units re-checked, in order (calsync's own re-check stays registered: no feeds here)."""
    seen: list[int] = []

    def spy(*, unit, now):
        seen.append(unit.pk)

    hooks.register_unit_precheck(spy)
    yield seen
    hooks.unregister_unit_precheck(spy)


def ask(traveller, unit, now) -> Booking:
    return services.request_stay(traveller=traveller, unit=unit, arrival=D("2027-06-07"),
                                 departure=D("2027-06-10"), adults=2, children=0, now=now)


def test_a_request_is_rechecked_once_at_acceptance_once_at_payment_and_never_at_confirmation(
        traveller, owner, unit, now, rechecks):
    booking = ask(traveller, unit, now)
    assert rechecks == []  # asking commits nobody: the owner's acceptance checks
    services.accept(booking=booking, by=owner, now=now + timedelta(hours=1))
    assert rechecks == [unit.pk]
    booking.refresh_from_db()
    services.assert_payable(booking=booking, now=now + timedelta(hours=2))
    assert rechecks == [unit.pk, unit.pk]
    assert services.confirm_payment(booking=booking, amount_paid=Decimal("400.00"), now=now + timedelta(hours=3))
    assert rechecks == [unit.pk, unit.pk]


def test_an_instant_stay_is_rechecked_once_when_its_checkout_is_created(traveller, instant_unit, now, rechecks):
    booking = ask(traveller, instant_unit, now)
    assert booking.status == BookingStatus.CHECKOUT and rechecks == [instant_unit.pk]
    services.assert_payable(booking=booking, now=now + timedelta(minutes=1))  # its payment page
    assert services.confirm_payment(booking=booking, amount_paid=Decimal("400.00"), now=now + timedelta(minutes=5))
    assert rechecks == [instant_unit.pk]


def test_a_block_the_recheck_finds_refuses_the_acceptance(traveller, owner, unit, now):
    booking = ask(traveller, unit, now)

    def sold_on_airbnb_a_minute_ago(*, unit, now):
        ExternalBlock.objects.create(unit=unit, start=D("2027-06-08"), end=D("2027-06-09"), feed_id=1,
                                     source_name="Airbnb")

    hooks.register_unit_precheck(sold_on_airbnb_a_minute_ago)
    try:
        with pytest.raises(services.DatesUnavailable) as refused:
            services.accept(booking=booking, by=owner, now=now + timedelta(hours=1))
    finally:
        hooks.unregister_unit_precheck(sold_on_airbnb_a_minute_ago)
    assert str(refused.value.message) == "Ces dates ne sont plus disponibles."
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


def test_a_recheck_that_fails_lets_the_acceptance_go_on_with_the_stored_blocks(traveller, owner, unit, now,
                                                                               caplog):
    booking = ask(traveller, unit, now)

    def feed_server_down(*, unit, now):
        raise ConnectionError("feed server down")

    hooks.register_unit_precheck(feed_server_down)
    try:
        with caplog.at_level(logging.ERROR, logger="bookings.hooks"):
            services.accept(booking=booking, by=owner, now=now + timedelta(hours=1))
    finally:
        hooks.unregister_unit_precheck(feed_server_down)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.AWAITING_PAYMENT
    assert "calendar re-check" in caplog.text and "feed server down" in caplog.text


def test_a_session_booking_has_no_calendar_to_recheck(traveller, owner, session, now, rechecks):
    booking = services.book_session(traveller=traveller, session=session, adults=1, children=0, now=now)
    services.assert_payable(booking=booking, now=now + timedelta(minutes=1))
    assert rechecks == []


def test_a_cancellation_that_owes_money_asks_the_refund_taker_once_on_commit(
        traveller, owner, unit, now, monkeypatch, django_capture_on_commit_callbacks):
    booking = ask(traveller, unit, now)
    services.accept(booking=booking, by=owner, now=now)
    booking.refresh_from_db()
    services.confirm_payment(booking=booking, amount_paid=Decimal("400.00"), now=now)
    asked = []
    monkeypatch.setattr(hooks, "_refund_takers", [lambda *, booking, amount, now: asked.append(amount)])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.cancel(booking=booking, by=owner, now=now + timedelta(days=1))
    assert asked == []  # not before the cancellation commits
    for callback in callbacks:
        callback()
    assert asked == [Decimal("400.00")]


def test_a_second_refund_taker_is_refused(monkeypatch):
    monkeypatch.setattr(hooks, "_refund_takers", [])
    hooks.register_refund_taker(print)
    hooks.register_refund_taker(print)  # the same one again: nothing changes
    with pytest.raises(RuntimeError):
        hooks.register_refund_taker(repr)
