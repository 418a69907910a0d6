"""The occupied-nights column (bookings/occupancy.py) equals the truth computed from the rows
after every way nights are taken or freed: requests, holds, payment, refusal, cancellation,
expiry, imported calendars, suspensions, direct saves and deletes (admin, demo data)."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection

from bookings import occupancy, services
from bookings.models import Booking, BookingStatus, ExternalBlock
from calsync.blocks import replace_blocks
from calsync.feeds import delete_feed
from calsync.models import Feed
from calsync.parsing import ParsedBlock
from lodgings import services as lodging_services
from lodgings.models import Unit

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the column exists on PostgreSQL only"),
]
D = date.fromisoformat


def column(unit: Unit) -> list[tuple[date, date]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT lower(r), upper(r) FROM lodgings_unit u, unnest(u.occupied) r WHERE u.id = %s "
                       "ORDER BY 1", [unit.pk])
        return cursor.fetchall()


def assert_true_to_rows(unit: Unit, expected: list[tuple[str, str]]) -> None:
    assert occupancy.mismatched_units() == []
    assert column(unit) == [(D(a), D(b)) for a, b in expected]


def ask(traveller, unit, now, arrival, departure):
    return services.request_stay(traveller=traveller, unit=unit, arrival=D(arrival), departure=D(departure),
                                 adults=1, children=0, message="", now=now)


def test_every_write_path_keeps_the_column_equal_to_the_rows(traveller, owner, unit, now):
    assert_true_to_rows(unit, [])

    # A request holds its nights; the owner accepts; the traveller pays.
    request = ask(traveller, unit, now, "2027-06-07", "2027-06-10")
    assert_true_to_rows(unit, [("2027-06-07", "2027-06-10")])
    services.accept(booking=request, by=owner, now=now)
    services.confirm_payment(booking=request, amount_paid=request.total_price, now=now)
    assert_true_to_rows(unit, [("2027-06-07", "2027-06-10")])

    # A refused request frees its nights.
    refused = ask(traveller, unit, now, "2027-07-01", "2027-07-03")
    assert_true_to_rows(unit, [("2027-06-07", "2027-06-10"), ("2027-07-01", "2027-07-03")])
    services.refuse(booking=refused, by=owner, reason="Travaux", now=now)
    assert_true_to_rows(unit, [("2027-06-07", "2027-06-10")])

    # A cancelled stay frees its nights; an adjacent one merges.
    services.cancel(booking=request, by=traveller, now=now)
    assert_true_to_rows(unit, [])

    # An unanswered request expires at its deadline (the sweep).
    late = ask(traveller, unit, now, "2027-08-02", "2027-08-05")
    assert_true_to_rows(unit, [("2027-08-02", "2027-08-05")])
    assert services.expire_overdue(now=late.respond_by + timedelta(minutes=1)) >= 1
    assert_true_to_rows(unit, [])


def test_holds_and_their_expiry(traveller, instant_unit, now):
    hold = ask(traveller, instant_unit, now, "2027-06-14", "2027-06-16")
    assert hold.status == BookingStatus.CHECKOUT
    assert_true_to_rows(instant_unit, [("2027-06-14", "2027-06-16")])
    services.expire_overdue(now=hold.hold_until + timedelta(seconds=1))
    hold.refresh_from_db()
    assert hold.status == BookingStatus.EXPIRED
    assert_true_to_rows(instant_unit, [])


def test_imported_calendars_and_suspensions(unit, now):
    feed = Feed.objects.create(unit=unit, url="https://example.org/cal.ics", next_run_at=now)
    today = now.date()
    replace_blocks(feed=feed, blocks=[ParsedBlock(D("2027-06-01"), D("2027-06-03"), "a", "Réservé"),
                                      ParsedBlock(D("2027-06-03"), D("2027-06-05"), "b", "Réservé")], today=today)
    assert_true_to_rows(unit, [("2027-06-01", "2027-06-05")])  # touching blocks merge
    replace_blocks(feed=feed, blocks=[ParsedBlock(D("2027-06-03"), D("2027-06-05"), "b", "Réservé")], today=today)
    assert_true_to_rows(unit, [("2027-06-03", "2027-06-05")])

    # A suspension covers every unit of the lodging.
    suspension = lodging_services.add_suspension(lodging=unit.lodging, start=D("2027-09-01"), end=D("2027-09-10"),
                                                 reason="", today=today)
    assert_true_to_rows(unit, [("2027-06-03", "2027-06-05"), ("2027-09-01", "2027-09-10")])
    # A room added to the lodging while it is suspended starts suspended.
    room = Unit.objects.create(lodging=unit.lodging, name="Chambre 2", nightly_price=Decimal("90"))
    assert_true_to_rows(room, [("2027-09-01", "2027-09-10")])
    lodging_services.remove_suspension(suspension=suspension)
    assert_true_to_rows(unit, [("2027-06-03", "2027-06-05")])
    assert_true_to_rows(room, [])

    delete_feed(feed=feed)
    assert_true_to_rows(unit, [])


def test_direct_saves_and_deletes_as_the_admin_makes_them(unit, traveller, owner):
    booking = Booking.objects.create(reference="ADM1", kind="stay", traveller=traveller, owner=owner, unit=unit,
                                     arrival=D("2027-10-01"), departure=D("2027-10-04"),
                                     status=BookingStatus.CONFIRMED, total_price=Decimal("300"))
    assert_true_to_rows(unit, [("2027-10-01", "2027-10-04")])
    booking.departure = D("2027-10-06")
    booking.save()
    assert_true_to_rows(unit, [("2027-10-01", "2027-10-06")])
    block = ExternalBlock.objects.create(unit=unit, start=D("2027-10-06"), end=D("2027-10-08"), feed_id=1,
                                         source_name="Gîtes de France")
    assert_true_to_rows(unit, [("2027-10-01", "2027-10-08")])
    block.delete()
    booking.delete()
    assert_true_to_rows(unit, [])


def test_batched_writes_refresh_once_at_the_end(unit, django_assert_num_queries):
    with occupancy.batched():
        for n in range(5):
            ExternalBlock.objects.create(unit=unit, start=D("2027-06-01") + timedelta(days=3 * n),
                                         end=D("2027-06-02") + timedelta(days=3 * n), feed_id=1, source_name="x")
        assert column(unit) == []  # not yet
    assert_true_to_rows(unit, [(f"2027-06-{1 + 3 * n:02d}", f"2027-06-{2 + 3 * n:02d}") for n in range(5)])


def test_the_migration_fills_the_column_from_existing_rows(unit, traveller, owner):
    Booking.objects.bulk_create([Booking(reference="BULK1", kind="stay", traveller=traveller, owner=owner, unit=unit,
                                         arrival=D("2027-11-01"), departure=D("2027-11-03"),
                                         status=BookingStatus.CONFIRMED, total_price=Decimal("1"),
                                         service_end=now_utc())])
    assert occupancy.mismatched_units() == [unit.pk]  # bulk_create sends no signal…
    occupancy.refresh_all()  # …as the migration and the benchmark's bulk inserts do
    assert_true_to_rows(unit, [("2027-11-01", "2027-11-03")])


def now_utc():
    from django.utils import timezone

    return timezone.now()
