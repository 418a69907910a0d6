"""Sessions generated from periods (docs/product.md#experiences-periods-and-sessions)."""
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bookings.models import Booking
from domains import moderation
from domains.models import OfferStatus
from domains.tests.factories import make_domain, make_experience
from experiences.models import Period, Session
from experiences.services import generate_sessions

TODAY = date(2026, 11, 26)


@pytest.fixture
def weekend_experience(owner):
    experience = make_experience(make_domain(owner), period=False, duration_minutes=90, capacity=8)
    # FAQ example: Saturdays and Sundays, at 15:00 and at 17:00.
    Period.objects.create(experience=experience, start_date=date(2026, 12, 4), end_date=date(2026, 12, 20),
                          weekdays="67", start_times=["15:00", "17:00"])
    return experience


def test_saturday_sunday_period_gives_exactly_its_sessions_in_utc(weekend_experience):
    sync = generate_sessions(experience=weekend_experience, today=TODAY)
    starts = list(Session.objects.filter(experience=weekend_experience).values_list("start", flat=True))
    expected = [datetime(2026, 12, day, hour, tzinfo=UTC) for day in (5, 6, 12, 13, 19, 20) for hour in (14, 16)]
    assert sorted(starts) == expected and sync.created == 12
    session = Session.objects.filter(experience=weekend_experience).first()
    assert (session.end - session.start).total_seconds() == 90 * 60 and session.capacity == 8


def test_summer_times_follow_paris_daylight_saving(owner):
    experience = make_experience(make_domain(owner), period=False)
    Period.objects.create(experience=experience, start_date=date(2027, 3, 27), end_date=date(2027, 3, 28),
                          weekdays="67", start_times=["15:00"])
    generate_sessions(experience=experience, today=TODAY)
    starts = sorted(Session.objects.filter(experience=experience).values_list("start", flat=True))
    # Saturday still in winter time (UTC+1), Sunday 28 March 2027 in summer time (UTC+2).
    assert starts == [datetime(2027, 3, 27, 14, tzinfo=UTC), datetime(2027, 3, 28, 13, tzinfo=UTC)]


def test_generating_twice_changes_nothing(weekend_experience):
    generate_sessions(experience=weekend_experience, today=TODAY)
    before = list(Session.objects.values_list("pk", "start", "end", "capacity"))
    sync = generate_sessions(experience=weekend_experience, today=TODAY)
    assert (sync.created, sync.updated, sync.removed) == (0, 0, 0)
    assert list(Session.objects.values_list("pk", "start", "end", "capacity")) == before


def test_shortening_a_period_keeps_booked_sessions_and_removes_the_others(weekend_experience):
    generate_sessions(experience=weekend_experience, today=TODAY)
    booked = Session.objects.get(start=datetime(2026, 12, 19, 14, tzinfo=UTC))
    booked.places_taken = 3
    booked.save()
    Period.objects.filter(experience=weekend_experience).update(end_date=date(2026, 12, 13))
    sync = generate_sessions(experience=weekend_experience, today=TODAY)
    assert [s.pk for s in sync.kept] == [booked.pk] and sync.removed == 3
    booked.refresh_from_db()
    assert booked.places_taken == 3 and not booked.is_active
    assert Session.objects.filter(experience=weekend_experience, is_active=True).count() == 8


def test_past_sessions_are_left_alone(weekend_experience):
    generate_sessions(experience=weekend_experience, today=TODAY)
    Period.objects.filter(experience=weekend_experience).delete()
    generate_sessions(experience=weekend_experience, today=date(2026, 12, 14))
    assert Session.objects.filter(experience=weekend_experience).count() == 8  # 5, 6, 12, 13 December × 2


def test_publication_generates_the_sessions(owner, staff):
    domain = make_domain(owner, status=OfferStatus.PUBLISHED)
    experience = make_experience(domain, status=OfferStatus.SUBMITTED, submitted_at=timezone.now())
    moderation.approve_offer(offer=experience, by=staff, now=timezone.now())
    assert Session.objects.filter(experience=experience).count() > 0


def test_experience_without_future_period_cannot_be_submitted(owner):
    experience = make_experience(make_domain(owner), period=False)
    Period.objects.create(experience=experience, start_date=date(2020, 1, 1), end_date=date(2020, 2, 1),
                          weekdays="6", start_times=["10:00"])
    with pytest.raises(moderation.OfferError, match="période"):
        moderation.submit_offer(offer=experience, now=timezone.now())


def test_owner_is_told_when_a_period_change_keeps_booked_sessions(owner, owner_client):
    domain = make_domain(owner, status=OfferStatus.PUBLISHED)
    experience = make_experience(domain, status=OfferStatus.PUBLISHED)
    period = experience.periods.get()
    generate_sessions(experience=experience, today=timezone.localdate())
    Session.objects.filter(pk=Session.objects.filter(experience=experience).first().pk).update(places_taken=2)
    data = {"duration_minutes": "120", "periods-TOTAL_FORMS": "1", "periods-INITIAL_FORMS": "1",
            "periods-0-id": str(period.pk), "periods-0-experience": str(experience.pk),
            "periods-0-start_date": period.start_date.isoformat(), "periods-0-end_date": period.end_date.isoformat(),
            "periods-0-weekdays": ["6", "7"], "periods-0-slot_0": "15:00", "periods-0-slot_1": "17:00",
            "periods-0-DELETE": "on"}
    response = owner_client.post(reverse("experience_wizard", args=[experience.pk, "periode"]), data, follow=True)
    assert "déjà des réservations" in response.content.decode()
    assert Session.objects.filter(experience=experience).count() == 1


def test_daily_command_fills_missing_sessions_of_published_experiences(owner):
    domain = make_domain(owner, status=OfferStatus.PUBLISHED)
    published = make_experience(domain, status=OfferStatus.PUBLISHED)
    draft = make_experience(domain)
    call_command("generate_sessions")
    assert Session.objects.filter(experience=published).count() > 0
    assert not Session.objects.filter(experience=draft).exists()
    before = Session.objects.count()
    call_command("generate_sessions")
    assert Session.objects.count() == before


def test_session_referenced_by_an_expired_booking_is_withdrawn_not_deleted(weekend_experience, traveller, owner):
    generate_sessions(experience=weekend_experience, today=TODAY)
    session = Session.objects.get(start=datetime(2026, 12, 5, 14, tzinfo=UTC))
    Booking.objects.create(reference="AH-EXPIRED1", kind="experience", traveller=traveller, owner=owner,
                           session=session, arrival=date(2026, 12, 5), departure=date(2026, 12, 6),
                           status="expired", total_price=Decimal("35.00"))
    Period.objects.filter(experience=weekend_experience).delete()
    sync = generate_sessions(experience=weekend_experience, today=TODAY)
    session.refresh_from_db()
    assert not session.is_active and sync.removed == 11 and sync.kept == []
