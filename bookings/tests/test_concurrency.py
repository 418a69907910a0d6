"""No double booking under real concurrency (PostgreSQL): 30 threads released at once."""
import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection, connections

from bookings import services
from bookings.models import Booking, BookingEvent, BookingStatus
from conftest import make_user
from experiences.models import Session

from .conftest import NOW

THREADS = 30
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and constraints"),
]


def race(work, travellers):
    """Run work(traveller) in one thread each, all released by a barrier; collect outcomes."""
    barrier = threading.Barrier(len(travellers))
    outcomes: list = []

    def run(traveller):
        try:
            barrier.wait()
            outcomes.append(work(traveller))
        except Exception as error:  # noqa: BLE001 - every outcome is asserted below
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(t,)) for t in travellers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.fixture
def travellers(db):
    return [make_user(f"voyageur{i}@example.fr") for i in range(THREADS)]


def test_thirty_overlapping_requests_make_exactly_one_live_booking(unit, travellers):
    def ask(traveller):
        # Each thread a slightly different overlapping range: 7–10, 8–11, 9–12 June…
        day = 7 + travellers.index(traveller) % 3
        return services.request_stay(traveller=traveller, unit=unit, arrival=date(2027, 6, day),
                                     departure=date(2027, 6, day + 3), adults=1, children=0, now=NOW)

    outcomes = race(ask, travellers)
    booked = [o for o in outcomes if isinstance(o, Booking)]
    refused = [o for o in outcomes if isinstance(o, services.DatesUnavailable)]
    assert len(outcomes) == THREADS
    assert len(booked) == 1 and len(refused) == THREADS - 1, [o for o in outcomes if not isinstance(o, Booking)]
    assert Booking.objects.filter(status=BookingStatus.REQUESTED).count() == 1


def test_thirty_buyers_of_one_place_fill_a_session_of_ten_exactly(session, travellers):
    def buy(traveller):
        return services.book_session(traveller=traveller, session=session, adults=1, children=0, now=NOW)

    outcomes = race(buy, travellers)
    booked = [o for o in outcomes if isinstance(o, Booking)]
    refused = [o for o in outcomes if isinstance(o, services.BookingError)]
    assert len(booked) == 10 and len(refused) == 20, [o for o in outcomes if not isinstance(o, Booking | services.BookingError)]
    assert Session.objects.get(pk=session.pk).places_taken == 10
    assert Booking.objects.filter(session=session).count() == 10
    assert sum(b.total_price for b in Booking.objects.all()) == Decimal("450.00")


def test_two_sweeps_at_once_expire_each_booking_once_and_mail_once(unit, travellers, mailoutbox):
    for i, traveller in enumerate(travellers):
        arrival = date(2027, 6, 1) + timedelta(days=2 * i)
        services.request_stay(traveller=traveller, unit=unit, arrival=arrival, departure=arrival + timedelta(days=2),
                              adults=1, children=0, now=NOW)
    mailoutbox.clear()
    later = NOW + timedelta(days=3)
    counts = race(lambda _sweeper: services.expire_overdue(now=later, batch_size=7), travellers[:4])
    assert sum(counts) == THREADS, counts
    assert BookingEvent.objects.filter(to_status=BookingStatus.EXPIRED).count() == THREADS
    assert sorted(mail.to[0] for mail in mailoutbox) == sorted(t.email for t in travellers)
