"""Places in an experience session: never more than its capacity."""
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from bookings import services
from bookings.models import Booking, BookingStatus
from bookings.services import BookingError
from conftest import make_user
from experiences.models import Session

pytestmark = pytest.mark.django_db


def book(traveller, session, now, adults=2, children=0):
    return services.book_session(traveller=traveller, session=session, adults=adults, children=children, now=now)


def places_taken(session) -> int:
    return Session.objects.get(pk=session.pk).places_taken


def test_instant_session_booking_takes_places_and_prices_children(traveller, session, now):
    booking = book(traveller, session, now, adults=2, children=1)
    assert booking.status == BookingStatus.CHECKOUT and booking.hold_until == now + timedelta(minutes=30)
    assert booking.total_price == Decimal("110.00")  # 2 × 45 + 1 × 20
    assert [line["label"] for line in booking.price_breakdown] == ["2 adultes × 45,00\u00a0€", "1 enfant × 20,00\u00a0€"]
    assert (booking.arrival, booking.departure) == (date(2027, 6, 12), date(2027, 6, 13))
    assert places_taken(session) == 3


def test_arrival_is_the_session_day_in_paris(traveller, experience, now):
    late = Session.objects.create(experience=experience, start=datetime(2027, 6, 12, 22, 30, tzinfo=UTC),
                                  end=datetime(2027, 6, 12, 23, 30, tzinfo=UTC), capacity=10)
    assert book(traveller, late, now).arrival == date(2027, 6, 13)  # 00:30 in Paris


def test_request_mode_session_waits_for_the_owner(traveller, session, experience, now):
    experience.booking_mode = "request"
    experience.save()
    assert book(traveller, session, now).status == BookingStatus.REQUESTED


def test_a_session_request_is_answered_and_paid_before_the_session_starts(traveller, owner, session, experience):
    experience.booking_mode = "request"
    experience.save()
    one_day_before = session.start - timedelta(days=1)
    booking = book(traveller, session, one_day_before)
    assert booking.respond_by == session.start - timedelta(hours=2)  # not 3 days later, after the visit
    services.accept(booking=booking, by=owner, now=one_day_before + timedelta(hours=1))
    booking.refresh_from_db()
    assert booking.pay_by == session.start  # not 48 h later
    with pytest.raises(BookingError, match="closes"):
        book(make_user("tard@example.fr"), session, session.start - timedelta(hours=1))


def test_participants_minimum_is_the_smallest_group_one_booking_takes(client, traveller, session, experience, now):
    experience.min_participants = 3
    experience.save()
    with pytest.raises(BookingError, match="3 participants au moins"):
        book(traveller, session, now, adults=2)
    assert book(traveller, session, now, adults=2, children=1).status == BookingStatus.CHECKOUT
    experience.status = experience.domain.status = "published"
    experience.save()
    experience.domain.save()
    page = client.get(reverse("experience_detail", args=[experience.slug])).content.decode()
    assert "3 participants au moins par réservation" in page


def test_a_session_never_sells_more_than_its_capacity(traveller, session, now):
    book(traveller, session, now, adults=8)
    other = make_user("paul@example.fr")
    with pytest.raises(BookingError, match="plus assez de places"):
        book(other, session, now, adults=3)
    assert book(other, session, now, adults=2).status == BookingStatus.CHECKOUT
    assert places_taken(session) == 10
    assert Booking.objects.count() == 2


def test_places_come_back_when_a_hold_expires_or_a_booking_is_cancelled(traveller, owner, session, now):
    first = book(traveller, session, now, adults=6)
    services.expire_overdue(now=now + timedelta(minutes=30))
    assert places_taken(session) == 0
    second = book(traveller, session, now + timedelta(hours=1), adults=4)
    assert services.confirm_payment(booking=second, amount_paid=Decimal("180.00"), now=now + timedelta(hours=1))
    assert places_taken(session) == 4
    services.cancel(booking=second, by=owner, now=now + timedelta(days=1))
    assert places_taken(session) == 0
    first.refresh_from_db()
    assert first.status == BookingStatus.EXPIRED


def test_a_stale_hold_never_blocks_the_last_places(traveller, session, now):
    book(traveller, session, now, adults=10)
    later = now + timedelta(minutes=31)  # before any sweep
    assert book(traveller, session, later, adults=10).status == BookingStatus.CHECKOUT
    assert places_taken(session) == 10


def test_experience_refund_deadline_is_in_hours_before_the_start(traveller, session, now):
    booking = book(traveller, session, now, adults=2)
    services.confirm_payment(booking=booking, amount_paid=Decimal("90.00"), now=now)
    start = session.start
    assert services.refund_amount_for_cancellation(booking=booking, by_owner=False,
                                                   now=start - timedelta(hours=48)) == Decimal("90.00")
    assert services.refund_amount_for_cancellation(booking=booking, by_owner=False,
                                                   now=start - timedelta(hours=47)) == Decimal("0.00")


@pytest.mark.parametrize("problem", ["started", "inactive", "unpublished", "no_adult"])
def test_bad_session_bookings_are_refused(traveller, session, experience, now, problem):
    when = now
    adults = 1
    if problem == "started":
        when = session.start
    elif problem == "inactive":
        session.is_active = False
        session.save()
    elif problem == "unpublished":
        experience.status = "draft"
        experience.save()
    else:
        adults = 0
    with pytest.raises(BookingError):
        book(traveller, session, when, adults=adults, children=1)
    assert places_taken(session) == 0 and not Booking.objects.exists()


def test_booking_again_releases_the_travellers_own_unpaid_places(traveller, session, now):
    book(traveller, session, now, adults=6)
    book(traveller, session, now + timedelta(minutes=2), adults=6)
    assert places_taken(session) == 6
