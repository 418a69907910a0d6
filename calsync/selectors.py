"""Reads for the calsync pages, each a fixed number of queries."""
import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from bookings.models import LIVE_STATUSES, Booking, ExternalBlock
from lodgings.models import Suspension, Unit

from .models import DoubleBookingAlert, Feed


def owner_units(owner) -> QuerySet[Unit]:
    return Unit.objects.filter(lodging__domain__owner=owner).select_related("lodging__domain")


def open_alerts(owner) -> QuerySet[DoubleBookingAlert]:
    return (DoubleBookingAlert.objects.filter(unit__lodging__domain__owner=owner, resolved_at__isnull=True)
            .select_related("booking", "unit__lodging").order_by("detected_at"))


def booking_url(reference: str) -> str:
    return reverse("dashboard_booking", args=[reference])


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, (first + timedelta(days=32)).replace(day=1)


@dataclass
class Row:
    start: date
    end: date
    internal: bool
    label: str  # booking reference or feed name
    url: str = ""
    summary: str = ""
    tentative: bool = False
    suspended: bool = False  # the owner's own suspension of the lodging (not a booking, not a feed)

    @property
    def nights(self) -> int:
        return (self.end - self.start).days


@dataclass
class UnitMonth:
    unit: Unit
    rows: list[Row]
    weeks: list[list[dict | None]]
    feeds: list[Feed] = field(default_factory=list)


def domain_units_month(units: QuerySet[Unit], month: date) -> list[UnitMonth]:
    """Each unit's bookings, imported blocks and its lodging's suspensions touching the month:
    five queries in all."""
    first, after = month_bounds(month)
    units = units.prefetch_related(
        Prefetch("lodging__suspensions", to_attr="month_suspensions", queryset=Suspension.objects.filter(
            start__lt=after, end__gt=first).order_by("start")),
        Prefetch("bookings", to_attr="month_stays", queryset=Booking.objects.filter(
            status__in=LIVE_STATUSES, arrival__lt=after, departure__gt=first).order_by("arrival")),
        Prefetch("external_blocks", to_attr="month_blocks", queryset=ExternalBlock.objects.filter(
            start__lt=after, end__gt=first).order_by("start")),
        Prefetch("calendar_feeds", to_attr="feeds"))
    return [_unit_month(unit, first, after) for unit in units]


def _unit_month(unit: Unit, first: date, after: date) -> UnitMonth:
    rows = [Row(b.arrival, b.departure, True, b.reference, booking_url(b.reference), b.get_status_display())
            for b in unit.month_stays]
    rows += [Row(x.start, x.end, False, x.source_name, summary=x.summary, tentative=x.tentative)
             for x in unit.month_blocks]
    rows += [Row(x.start, x.end, False, _("Suspension"), reverse("lodging_suspensions", args=[unit.lodging_id]),
                 summary=x.reason, suspended=True) for x in unit.lodging.month_suspensions]
    rows.sort(key=lambda r: (r.start, not r.internal))
    return UnitMonth(unit=unit, rows=rows, weeks=_weeks(rows, first, after), feeds=unit.feeds)


def _weeks(rows: list[Row], first: date, after: date) -> list[list[dict | None]]:
    """Monday-first weeks; each day says whether a booking (interne) or a block (externe) takes it."""
    weeks: list[list[dict | None]] = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        cells: list[dict | None] = []
        for day in week:
            if not first <= day < after:
                cells.append(None)
                continue
            taken = [r for r in rows if r.start <= day < r.end]
            cells.append({"day": day, "internal": any(r.internal for r in taken),
                          "external": any(not r.internal and not r.suspended for r in taken),
                          "suspended": any(r.suspended for r in taken),
                          "labels": ", ".join(dict.fromkeys(r.label for r in taken))})
        weeks.append(cells)
    return weeks
