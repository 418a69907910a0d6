"""Accept, refuse, pay, cancel, refund: each transition and its deadline."""
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from bookings import hooks, services
from bookings.models import BookingEvent, BookingStatus, ExternalBlock
from bookings.services import BookingError, DatesUnavailable

pytestmark = pytest.mark.django_db
D = date.fromisoformat


@pytest.fixture
def request_(traveller, unit, now):
    return services.request_stay(traveller=traveller, unit=unit, arrival=D("2027-06-07"), departure=D("2027-06-10"),
                                 adults=2, children=0, now=now)


@pytest.fixture
def accepted(request_, owner, now):
    services.accept(booking=request_, by=owner, now=now + timedelta(hours=5))
    return request_


@pytest.fixture
def confirmed(accepted, now):
    assert services.confirm_payment(booking=accepted, amount_paid=Decimal("400.00"), now=now + timedelta(hours=6))
    return accepted


def test_accepting_gives_the_traveller_48_hours_and_a_payment_link(request_, owner, traveller, now, mailoutbox,
                                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.accept(booking=request_, by=owner, now=now + timedelta(days=1))
    request_.refresh_from_db()
    assert request_.status == BookingStatus.AWAITING_PAYMENT
    assert request_.pay_by == now + timedelta(days=1, hours=48)
    [mail] = mailoutbox
    assert mail.to == [traveller.email]
    assert f"/fr/mes-voyages/{request_.reference}/" in mail.body or f"/{request_.reference}" in mail.body
    event = request_.events.last()
    assert (event.from_status, event.to_status, event.actor) == ("requested", "awaiting_payment", owner)


def test_accepting_after_the_deadline_is_refused_even_before_the_sweep(request_, owner, now):
    with pytest.raises(BookingError, match="délai de réponse est dépassé"):
        services.accept(booking=request_, by=owner, now=now + timedelta(days=3))
    request_.refresh_from_db()
    assert request_.status == BookingStatus.REQUESTED


def test_another_owner_cannot_answer(request_, other_owner, now):
    with pytest.raises(BookingError):
        services.accept(booking=request_, by=other_owner, now=now)
    with pytest.raises(BookingError):
        services.refuse(booking=request_, by=other_owner, now=now)
    request_.refresh_from_db()
    assert request_.status == BookingStatus.REQUESTED


def test_accepting_dates_blocked_by_an_imported_calendar_is_refused(request_, owner, unit, now):
    ExternalBlock.objects.create(unit=unit, start=D("2027-06-09"), end=D("2027-06-11"), feed_id=3, source_name="Airbnb")
    with pytest.raises(DatesUnavailable):
        services.accept(booking=request_, by=owner, now=now)


def test_refusing_frees_the_dates_and_tells_the_traveller_why(request_, owner, traveller, unit, now, mailoutbox,
                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.refuse(booking=request_, by=owner, reason="Le domaine est fermé pour travaux.", now=now)
    request_.refresh_from_db()
    assert request_.status == BookingStatus.REFUSED
    [mail] = mailoutbox
    assert mail.to == [traveller.email] and "fermé pour travaux" in mail.body
    again = services.request_stay(traveller=traveller, unit=unit, arrival=D("2027-06-07"), departure=D("2027-06-10"),
                                  adults=2, children=0, now=now)
    assert again.status == BookingStatus.REQUESTED
    with pytest.raises(BookingError):
        services.accept(booking=request_, by=owner, now=now)


def test_payment_confirms_and_freezes_the_commission(accepted, owner, traveller, now, mailoutbox,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.confirm_payment(booking=accepted, amount_paid=Decimal("400.00"), now=now + timedelta(hours=6))
    accepted.refresh_from_db()
    assert accepted.status == BookingStatus.CONFIRMED
    assert accepted.paid_at == now + timedelta(hours=6)
    assert (accepted.commission_rate, accepted.commission_amount, accepted.owner_net, accepted.donation_amount) == (
        Decimal("0.13"), Decimal("52.00"), Decimal("348.00"), Decimal("4.00"))
    assert sorted(mail.to[0] for mail in mailoutbox) == [owner.email, traveller.email]


def test_confirming_twice_changes_nothing_and_sends_nothing(confirmed, now, mailoutbox,
                                                            django_capture_on_commit_callbacks):
    events = BookingEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.confirm_payment(booking=confirmed, amount_paid=Decimal("400.00"), now=now + timedelta(days=9))
    confirmed.refresh_from_db()
    assert confirmed.paid_at == now + timedelta(hours=6)
    assert BookingEvent.objects.count() == events and mailoutbox == []


def test_a_payment_after_the_deadline_is_refused_even_before_the_sweep(accepted, now, unit, traveller, mailoutbox,
                                                                       django_capture_on_commit_callbacks):
    late = now + timedelta(hours=5, minutes=1) + timedelta(hours=48)
    with pytest.raises(BookingError, match="délai de paiement"):
        services.assert_payable(booking=accepted, now=late)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.confirm_payment(booking=accepted, amount_paid=Decimal("400.00"), now=late) is False
    accepted.refresh_from_db()
    assert accepted.status == BookingStatus.EXPIRED
    assert accepted.amount_paid == Decimal("400.00") and accepted.paid_at is None
    assert "refusé" in accepted.events.last().reason
    with django_capture_on_commit_callbacks(execute=True):
        services.notify_late_payment_refunded(booking=accepted, amount=Decimal("400.00"), now=late)
    assert len(mailoutbox) == 2
    # the dates are free again
    assert services.request_stay(traveller=traveller, unit=unit, arrival=D("2027-06-07"),
                                 departure=D("2027-06-10"), adults=1, children=0, now=late)


def test_a_payment_for_dates_blocked_since_is_refused(accepted, unit, now):
    ExternalBlock.objects.create(unit=unit, start=D("2027-06-07"), end=D("2027-06-08"), feed_id=3, source_name="Airbnb")
    with pytest.raises(DatesUnavailable):
        services.assert_payable(booking=accepted, now=now + timedelta(hours=6))
    assert services.confirm_payment(booking=accepted, amount_paid=Decimal("400.00"),
                                    now=now + timedelta(hours=6)) is False
    accepted.refresh_from_db()
    assert accepted.status == BookingStatus.CANCELLED and not accepted.is_live


def test_a_request_cannot_be_paid_before_it_is_accepted(request_, now):
    with pytest.raises(BookingError):
        services.assert_payable(booking=request_, now=now)
    assert services.confirm_payment(booking=request_, amount_paid=Decimal("400.00"), now=now) is False
    request_.refresh_from_db()
    assert request_.status == BookingStatus.REQUESTED  # still waiting for the owner; the money goes back
    assert request_.amount_paid == 0


# --- Cancellation ----------------------------------------------------------------------

@pytest.mark.parametrize(("days_before", "expected"), [(30, "400.00"), (14, "400.00"), (13, "200.00"), (2, "200.00")])
def test_traveller_refund_depends_on_the_lodging_deadline(confirmed, days_before, expected):
    when = datetime(2027, 6, 7, 10, tzinfo=UTC) - timedelta(days=days_before)
    assert services.refund_amount_for_cancellation(booking=confirmed, by_owner=False, now=when) == Decimal(expected)
    assert services.refund_amount_for_cancellation(booking=confirmed, by_owner=True, now=when) == Decimal("400.00")


@pytest.fixture
def refunds_asked(monkeypatch) -> list:
    """The refunds bookings asks for, instead of payouts' Stripe refunds (bookings/hooks.py)."""
    asked = []
    monkeypatch.setattr(hooks, "_refund_takers",
                        [lambda *, booking, amount, now: asked.append((booking.reference, amount))])
    return asked


def test_owner_cancellation_refunds_everything_and_asks_payments_to_refund(confirmed, owner, traveller, now,
                                                                           mailoutbox, refunds_asked,
                                                                           django_capture_on_commit_callbacks):
    asked = refunds_asked
    with django_capture_on_commit_callbacks(execute=True):
        amount = services.cancel(booking=confirmed, by=owner, now=now + timedelta(days=30))
    confirmed.refresh_from_db()
    assert amount == Decimal("400.00") and asked == [(confirmed.reference, Decimal("400.00"))]
    assert (confirmed.status, confirmed.cancelled_by) == ("cancelled", "owner")
    assert sorted(mail.to[0] for mail in mailoutbox) == [owner.email, traveller.email]


def test_late_traveller_cancellation_refunds_the_late_percentage(confirmed, traveller, now):
    amount = services.cancel(booking=confirmed, by=traveller, now=now + timedelta(days=30))  # 4 June: 3 days before
    assert amount == Decimal("200.00")
    confirmed.refresh_from_db()
    assert confirmed.cancelled_by == "traveller" and confirmed.cancelled_at == now + timedelta(days=30)


def test_withdrawing_a_request_costs_nothing_and_frees_the_dates(request_, traveller, now, refunds_asked,
                                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.cancel(booking=request_, by=traveller, now=now) == Decimal("0")
    request_.refresh_from_db()
    assert request_.status == BookingStatus.CANCELLED and refunds_asked == []


def test_a_stranger_cannot_cancel_and_a_started_stay_cannot_be_cancelled(confirmed, other_owner, traveller):
    with pytest.raises(BookingError):
        services.cancel(booking=confirmed, by=other_owner, now=datetime(2027, 5, 10, tzinfo=UTC))
    with pytest.raises(BookingError, match="déjà commencé"):
        services.cancel(booking=confirmed, by=traveller, now=datetime(2027, 6, 8, 10, tzinfo=UTC))
    confirmed.refresh_from_db()
    assert confirmed.status == BookingStatus.CONFIRMED


def test_refunds_add_up_but_never_beyond_what_was_paid(confirmed, traveller, now, mailoutbox,
                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.record_refund(booking=confirmed, amount=Decimal("150.00"), now=now) == Decimal("150.00")
    confirmed.refresh_from_db()
    assert confirmed.refund_state == "partial"
    assert services.record_refund(booking=confirmed, amount=Decimal("500.00"), now=now) == Decimal("250.00")
    assert services.record_refund(booking=confirmed, amount=Decimal("1.00"), now=now) == Decimal("0")
    confirmed.refresh_from_db()
    assert confirmed.refunded_amount == Decimal("400.00") and confirmed.refund_state == "full"
    [mail] = mailoutbox
    assert mail.to == [traveller.email] and "150,00" in mail.body


def test_a_refunded_late_payment_sends_one_email_to_each_party(accepted, owner, traveller, now, mailoutbox,
                                                               django_capture_on_commit_callbacks):
    late = now + timedelta(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert not services.confirm_payment(booking=accepted, amount_paid=Decimal("400.00"), now=late)
        services.record_refund(booking=accepted, amount=Decimal("400.00"), now=late)
        services.notify_late_payment_refunded(booking=accepted, amount=Decimal("400.00"), now=late)
    accepted.refresh_from_db()
    assert accepted.refunded_amount == Decimal("400.00") and accepted.status == BookingStatus.EXPIRED
    assert sorted(mail.to[0] for mail in mailoutbox) == [owner.email, traveller.email]
    subjects = {mail.to[0]: mail.subject for mail in mailoutbox}
    assert "trop tard" in subjects[traveller.email] and "tardif" in subjects[owner.email]
