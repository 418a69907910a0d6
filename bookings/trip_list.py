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

from core.compiledsql import CompiledQuery
from experiences.models import Session
from lodgings.models import LodgingKind, Unit
from touristtax.models import BookingTax, TaxStatus

from .models import LIVE_STATUSES, Booking, BookingStatus

_TRAVELLER, _TODAY = -7_301_701, date(1901, 3, 4)
# The constants of the queries are arguments too, each with its sentinel: CompiledQuery knows a
# parameter's place by its value.
_CONSTANTS = (
    (BookingStatus.CONFIRMED.value, "\x00confirmed"),
    *((status.value, f"\x00live-{status.value}") for status in LIVE_STATUSES),
    (TaxStatus.COLLECTED.value, "\x00collected"),
    (LodgingKind.CHAMBRES_HOTES.value, "\x00chambres"),
    (" \u2013 ", "\x00dash"),  # Unit.__str__'s " – "
)
_ARGUMENTS = tuple(value for value, _sentinel in _CONSTANTS)
_SENTINELS = (_TRAVELLER, _TODAY, *(sentinel for _value, sentinel in _CONSTANTS))


def _joined(*parts) -> Func:
    """parts joined with ||, on PostgreSQL and SQLite alike (Concat adds '' parameters of its own)."""
    return Func(*parts, template="(%(expressions)s)", arg_joiner=" || ", output_field=CharField())


def _tab(tab: str, traveller_id, today, confirmed, *rest):
    live = rest[:len(LIVE_STATUSES)]  # then the tax status, the lodging kind and the dash (unused here)
    trips = Booking.objects.filter(traveller_id=traveller_id)
    if tab == "past":
        return trips.filter(status=confirmed, departure__lte=today).order_by("-arrival", "-pk")
    if tab == "cancelled":
        return trips.exclude(status__in=live).order_by("-created_at", "-pk")
    return trips.filter(status__in=live, departure__gt=today).order_by("arrival", "pk")


def _rows(tab: str, offset: int, limit: int):
    def build(traveller_id, today, confirmed, *rest):
        collected, chambres, dash = rest[len(LIVE_STATUSES):]
        unit = Unit.objects.filter(pk=OuterRef("unit_id")).order_by()
        session = Session.objects.filter(pk=OuterRef("session_id")).order_by()
        return _tab(tab, traveller_id, today, confirmed, *rest).annotate(
            # str(unit): the lodging's title before the room's name for chambres d'hôtes.
            unit_title=Subquery(unit.annotate(title=Case(
                When(lodging__kind=chambres, then=_joined("lodging__title", Value(dash), "name")),
                default=F("name"))).values("title")),
            unit_domain=Subquery(unit.values("lodging__domain__name")),
            experience_title=Subquery(session.values("experience__title")),
            experience_domain=Subquery(session.values("experience__domain__name")),
            session_start=Subquery(session.values("start")),
            tax_amount=Subquery(BookingTax.objects.filter(booking_id=OuterRef("pk"), status=collected)
                                .order_by().values("amount")),
        ).values_list("reference", "unit_id", "session_id", "arrival", "departure", "status", "total_price",
                      "amount_paid", "refunded_amount", "unit_title", "unit_domain", "experience_title",
                      "experience_domain", "session_start", "tax_amount")[offset:offset + limit]
    return CompiledQuery(build, sentinels=_SENTINELS)


_COUNTS = {tab: CompiledQuery(lambda *arguments, tab=tab: _tab(tab, *arguments).order_by().values("traveller_id")
                              .annotate(n=Count("pk")).values_list("n"), sentinels=_SENTINELS)
           for tab in ("upcoming", "past", "cancelled")}
_pages: dict[tuple[str, int, int], CompiledQuery] = {}  # LIMIT and OFFSET are written into the SQL


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
    rows = _COUNTS[tab](traveller_id, today, *_ARGUMENTS)
    return rows[0][0] if rows else 0


def trip_rows(traveller_id: int, tab: str, today: date, offset: int, limit: int) -> list[Trip]:
    key = (tab, offset, limit)
    query = _pages.get(key)
    if query is None:
        if len(_pages) > 300:
            _pages.clear()
        query = _pages[key] = _rows(tab, offset, limit)
    trips = []
    for (reference, unit_id, session_id, arrival, departure, status, total_price, amount_paid, refunded_amount,
         unit_title, unit_domain, experience_title, experience_domain, session_start,
         tax_amount) in query(traveller_id, today, *_ARGUMENTS):
        refund_state = "" if refunded_amount <= 0 else ("full" if refunded_amount >= amount_paid else "partial")
        tax = tax_amount if unit_id and tax_amount is not None else Decimal("0.00")  # collected_amount's ZERO
        trips.append(Trip(reference, unit_title if unit_id else experience_title,
                          unit_domain if unit_id else experience_domain, session_start if session_id else None,
                          arrival, departure, status, refund_state, total_price + tax))
    return trips
