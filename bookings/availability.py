"""Which nights of a unit are taken. The one place that answers it: live bookings,
imported calendar blocks and the owner's suspensions, all as half-open [start, end)."""
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from core.ranges import merge_ranges
from lodgings.models import Suspension, Unit

from . import occupancy
from .models import LIVE_STATUSES, Booking, ExternalBlock

DateRange = tuple[date, date]


def _overlapping(start: date, end: date, *, start_field: str, end_field: str) -> Q:
    return Q(**{f"{start_field}__lt": end, f"{end_field}__gt": start})


def live_stays() -> QuerySet[Booking]:
    return Booking.objects.filter(status__in=LIVE_STATUSES, unit__isnull=False)


def occupied_ranges(unit: Unit, start: date, end: date) -> list[DateRange]:
    """The unit's unavailable nights within [start, end), merged and clipped to the window.
    One round trip: on PostgreSQL the unit's occupied-nights column clipped in SQL
    (bookings/occupancy.py), elsewhere the three sources read with UNION ALL and merged here
    (the public calendar and the availability API call this for every month shown)."""
    if occupancy.enabled():
        return occupancy.occupied_within(unit.pk, start, end)
    stays = live_stays().filter(_overlapping(start, end, start_field="arrival", end_field="departure"),
                                unit=unit).values_list("arrival", "departure")
    blocks = ExternalBlock.objects.filter(_overlapping(start, end, start_field="start", end_field="end"),
                                          unit=unit).values_list("start", "end")
    suspensions = Suspension.objects.filter(_overlapping(start, end, start_field="start", end_field="end"),
                                            lodging_id=unit.lodging_id).values_list("start", "end")
    found = stays.order_by().union(blocks.order_by(), suspensions.order_by(), all=True)
    return [(max(a, start), min(b, end)) for a, b in merge_ranges(found)]


def unit_is_free(unit: Unit, start: date, end: date, *, ignore_booking_id: int | None = None) -> bool:
    """True when no live booking, imported block or suspension touches [start, end).
    On PostgreSQL one read of the unit's column, unless a booking is to be ignored."""
    if ignore_booking_id is None and occupancy.enabled():
        return occupancy.is_free(unit.pk, start, end)
    stays = live_stays().filter(_overlapping(start, end, start_field="arrival", end_field="departure"), unit=unit)
    if ignore_booking_id is not None:
        stays = stays.exclude(pk=ignore_booking_id)
    return not (
        stays.exists()
        or ExternalBlock.objects.filter(_overlapping(start, end, start_field="start", end_field="end"),
                                        unit=unit).exists()
        or Suspension.objects.filter(_overlapping(start, end, start_field="start", end_field="end"),
                                     lodging_id=unit.lodging_id).exists()
    )


def live_stay_references(lodging, start: date, end: date) -> list[str]:
    """The live bookings of a lodging's units over [start, end) (a new suspension's warning)."""
    return list(live_stays().filter(_overlapping(start, end, start_field="arrival", end_field="departure"),
                                    unit__lodging=lodging).order_by("arrival").values_list("reference", flat=True))


def own_live_stay(*, traveller, unit: Unit, arrival: date, departure: date):
    """The traveller's own live booking of this unit touching [arrival, departure), if any."""
    if not getattr(traveller, "is_authenticated", False):
        return None
    return (live_stays().filter(_overlapping(arrival, departure, start_field="arrival", end_field="departure"),
                                unit=unit, traveller=traveller).order_by("-created_at").first())


def free_units(units: QuerySet[Unit], start: date, end: date) -> QuerySet[Unit]:
    """Filter a unit queryset to those free for [start, end), in one SQL query
    (NOT EXISTS subqueries answered by the unit foreign-key indexes)."""
    stays = live_stays().filter(_overlapping(start, end, start_field="arrival", end_field="departure"),
                                unit=OuterRef("pk"))
    blocks = ExternalBlock.objects.filter(_overlapping(start, end, start_field="start", end_field="end"),
                                          unit=OuterRef("pk"))
    suspensions = Suspension.objects.filter(_overlapping(start, end, start_field="start", end_field="end"),
                                            lodging=OuterRef("lodging_id"))
    return units.filter(~Exists(stays), ~Exists(blocks), ~Exists(suspensions))
