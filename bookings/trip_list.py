"""« Mes voyages » as plain rows, with SQL built once per process (core/compiledsql.py).

Through the ORM a page of ten trips was one query joining the room, lodging, domain, session,
experience, domain again and the taxe de séjour for every trip of the tab before its sort:
~20 ms of PostgreSQL for a traveller with 500 trips, plus 3 to 9 ms of planning, and model
instances with seven joined models per row (issue 14, docs/performance.md "Owner lists").
Here the tab's trips are sorted on their own columns; what a row shows of its offer comes
from scalar subqueries, which PostgreSQL evaluates after the LIMIT, for the ten rows shown."""
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Case, CharField, Count, F, Func, OuterRef, Subquery, Value, When

from core.compiledsql import PAGE_LIMIT, PAGE_OFFSET, CompiledQuery
from experiences.models import Session
from lodgings.models import LodgingKind, Unit
from touristtax.models import BookingTax, TaxStatus

from .models import LIVE_STATUSES, Booking, BookingStatus

_TRAVELLER, _TODAY = -7_301_701, date(1901, 3, 4)
_DASH = " \u2013 "  # Unit.__str__'s " – "
# What the queries hold whatever the traveller and the day (core.compiledsql constants).
_CONSTANTS = (BookingStatus.CONFIRMED, *LIVE_STATUSES, TaxStatus.COLLECTED, LodgingKind.CHAMBRES_HOTES, _DASH)


def _joined(*parts) -> Func:
    """parts joined with ||, on PostgreSQL and SQLite alike (Concat adds '' parameters of its own)."""
    return Func(*parts, template="(%(expressions)s)", arg_joiner=" || ", output_field=CharField())


def _tab(tab: str, traveller_id, today):
    trips = Booking.objects.filter(traveller_id=traveller_id)
    if tab == "past":
        return trips.filter(status=BookingStatus.CONFIRMED, departure__lte=today).order_by("-arrival", "-pk")
    if tab == "cancelled":
        return trips.exclude(status__in=LIVE_STATUSES).order_by("-created_at", "-pk")
    return trips.filter(status__in=LIVE_STATUSES, departure__gt=today).order_by("arrival", "pk")


def _rows(tab: str, traveller_id, today, _limit, _offset):
    unit = Unit.objects.filter(pk=OuterRef("unit_id")).order_by()
    session = Session.objects.filter(pk=OuterRef("session_id")).order_by()
    return _tab(tab, traveller_id, today).annotate(
        # str(unit): the lodging's title before the room's name for chambres d'hôtes.
        unit_title=Subquery(unit.annotate(title=Case(
            When(lodging__kind=LodgingKind.CHAMBRES_HOTES, then=_joined("lodging__title", Value(_DASH), "name")),
            default=F("name"))).values("title")),
        unit_domain=Subquery(unit.values("lodging__domain__name")),
        experience_title=Subquery(session.values("experience__title")),
        experience_domain=Subquery(session.values("experience__domain__name")),
        session_start=Subquery(session.values("start")),
        tax_amount=Subquery(BookingTax.objects.filter(booking_id=OuterRef("pk"), status=TaxStatus.COLLECTED)
                            .order_by().values("amount")),
    ).values_list("reference", "unit_id", "session_id", "arrival", "departure", "status", "total_price",
                  "amount_paid", "refunded_amount", "unit_title", "unit_domain", "experience_title",
                  "experience_domain", "session_start", "tax_amount")[PAGE_OFFSET:PAGE_OFFSET + PAGE_LIMIT]


_TABS = ("upcoming", "past", "cancelled")
_COUNTS = {tab: CompiledQuery(lambda traveller_id, today, tab=tab: _tab(tab, traveller_id, today).order_by()
                              .values("traveller_id").annotate(n=Count("pk")).values_list("n"),
                              sentinels=(_TRAVELLER, _TODAY), constants=_CONSTANTS) for tab in _TABS}
_PAGES = {tab: CompiledQuery(lambda *arguments, tab=tab: _rows(tab, *arguments),
                             sentinels=(_TRAVELLER, _TODAY, PAGE_LIMIT, PAGE_OFFSET), constants=_CONSTANTS)
          for tab in _TABS}


@dataclass
class Trip:
    reference: str
    title: str
    domain: str
    session_start: datetime | None  # an experience's session; else the stay's dates
    arrival: date
    departure: date
    status: str
    refund_state: str  # Booking.refund_state
    total_to_pay: Decimal  # Booking.total_to_pay


def trip_count(traveller_id: int, tab: str, today: date) -> int:
    rows = _COUNTS[tab](traveller_id, today)
    return rows[0][0] if rows else 0


def trip_rows(traveller_id: int, tab: str, today: date, offset: int, limit: int) -> list[Trip]:
    trips = []
    for (reference, unit_id, session_id, arrival, departure, status, total_price, amount_paid, refunded_amount,
         unit_title, unit_domain, experience_title, experience_domain, session_start,
         tax_amount) in _PAGES[tab](traveller_id, today, limit, offset):
        refund_state = "" if refunded_amount <= 0 else ("full" if refunded_amount >= amount_paid else "partial")
        tax = tax_amount if unit_id and tax_amount is not None else Decimal("0.00")  # collected_amount's ZERO
        trips.append(Trip(reference, unit_title if unit_id else experience_title,
                          unit_domain if unit_id else experience_domain, session_start if session_id else None,
                          arrival, departure, status, refund_state, total_price + tax))
    return trips
