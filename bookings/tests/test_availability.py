from datetime import date
from decimal import Decimal

import pytest

from bookings.availability import free_units, occupied_ranges, unit_is_free
from bookings.models import Booking, BookingStatus, ExternalBlock
from core.ranges import merge_ranges
from domains.models import Domain
from lodgings.models import Lodging, Suspension, Unit

pytestmark = pytest.mark.django_db
D = date.fromisoformat


@pytest.fixture
def unit(owner):
    domain = Domain.objects.create(owner=owner, name="Prieuré", slug="prieure", heritage_kind="prieure")
    lodging = Lodging.objects.create(domain=domain, kind="gite", title="Le Logis", slug="le-logis")
    return Unit.objects.create(lodging=lodging, name="Le Logis", nightly_price=Decimal("120"))


def stay(unit, traveller, arrival, departure, status=BookingStatus.CONFIRMED):
    return Booking.objects.create(
        reference=f"T{Booking.objects.count()}", kind="stay", traveller=traveller, owner=unit.lodging.domain.owner,
        unit=unit, arrival=D(arrival), departure=D(departure), status=status, total_price=Decimal("240"))


def test_merge_joins_touching_and_overlapping_ranges():
    assert merge_ranges([(D("2027-01-05"), D("2027-01-07")), (D("2027-01-01"), D("2027-01-03")),
                         (D("2027-01-03"), D("2027-01-04")), (D("2027-01-06"), D("2027-01-09"))]) == [
        (D("2027-01-01"), D("2027-01-04")), (D("2027-01-05"), D("2027-01-09"))]


def test_occupied_ranges_merge_bookings_blocks_and_suspensions(unit, traveller):
    stay(unit, traveller, "2027-05-03", "2027-05-05")
    ExternalBlock.objects.create(unit=unit, start=D("2027-05-05"), end=D("2027-05-07"), feed_id=1, source_name="Airbnb")
    Suspension.objects.create(lodging=unit.lodging, start=D("2027-05-20"), end=D("2027-06-10"))
    stay(unit, traveller, "2027-05-10", "2027-05-12", status=BookingStatus.EXPIRED)  # frees its nights
    assert occupied_ranges(unit, D("2027-05-01"), D("2027-06-01")) == [
        (D("2027-05-03"), D("2027-05-07")), (D("2027-05-20"), D("2027-06-01"))]


@pytest.mark.parametrize("status", [BookingStatus.REQUESTED, BookingStatus.AWAITING_PAYMENT,
                                    BookingStatus.CHECKOUT, BookingStatus.CONFIRMED])
def test_live_booking_blocks_overlap_but_not_adjacent_nights(unit, traveller, status):
    stay(unit, traveller, "2027-05-03", "2027-05-05", status=status)
    assert not unit_is_free(unit, D("2027-05-04"), D("2027-05-06"))
    assert unit_is_free(unit, D("2027-05-05"), D("2027-05-07"))  # departure day is free
    assert unit_is_free(unit, D("2027-05-01"), D("2027-05-03"))
    assert list(free_units(Unit.objects.all(), D("2027-05-04"), D("2027-05-06"))) == []
    assert list(free_units(Unit.objects.all(), D("2027-05-05"), D("2027-05-06"))) == [unit]


def test_suspension_and_block_make_unit_unavailable(unit):
    ExternalBlock.objects.create(unit=unit, start=D("2027-07-01"), end=D("2027-07-03"), feed_id=1, source_name="Booking")
    Suspension.objects.create(lodging=unit.lodging, start=D("2027-08-01"), end=D("2027-08-15"))
    assert not unit_is_free(unit, D("2027-07-02"), D("2027-07-04"))
    assert not unit_is_free(unit, D("2027-08-14"), D("2027-08-16"))
    assert unit_is_free(unit, D("2027-07-03"), D("2027-08-01"))


def test_occupied_ranges_is_one_query(unit, traveller, django_assert_num_queries):
    stay(unit, traveller, "2027-05-03", "2027-05-05")
    ExternalBlock.objects.create(unit=unit, start=D("2027-05-08"), end=D("2027-05-09"), feed_id=1, source_name="Airbnb")
    with django_assert_num_queries(1):
        assert occupied_ranges(unit, D("2027-05-01"), D("2027-06-01")) == [
            (D("2027-05-03"), D("2027-05-05")), (D("2027-05-08"), D("2027-05-09"))]
