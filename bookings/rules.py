"""The stay rules: which dates and which party a lodging accepts (the owner's settings on
`lodgings.Lodging` and `lodgings.Unit`), availability aside.

One home: the booking form and the booking services (through `services.check_stay`) and
the quote API of the lodging page (`public.views.unit_quote`) all ask `stay_problem`, so a
traveller reads the same sentence wherever a rule stops them. The search cannot call a
Python function per unit; it filters with `stay_dates_q` / `party_size_q`, the same rules on
the same columns, written here beside the function so the two change together
(`bookings/tests/test_rules.py` checks that they agree).
"""
from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lodgings.models import Lodging, Unit

from .party import capacity_label


def stay_problem(*, unit: Unit, arrival: date, departure: date, adults: int, children: int,
                 today: date) -> str | None:
    """Why this stay cannot be asked for, in the active language, or None. `today` is the
    Paris date (core.dates.today_in_paris)."""
    return (dates_problem(lodging=unit.lodging, arrival=arrival, departure=departure, today=today)
            or party_problem(adults=adults, children=children)
            or _capacity_problem(unit, adults, children))


def dates_problem(*, lodging: Lodging, arrival: date, departure: date, today: date) -> str | None:
    if departure <= arrival:
        return _("La date de départ doit être après la date d'arrivée.")
    if arrival < today:
        return _("Ces dates sont passées.")
    if (arrival - today).days < lodging.advance_notice_days:
        return ngettext("Cet hébergement se réserve au moins %(days)s jour avant l'arrivée.",
                        "Cet hébergement se réserve au moins %(days)s jours avant l'arrivée.",
                        lodging.advance_notice_days) % {"days": lodging.advance_notice_days}
    nights = (departure - arrival).days
    if nights < lodging.min_nights:
        return ngettext("Le séjour minimum est de %(n)s nuit.", "Le séjour minimum est de %(n)s nuits.",
                        lodging.min_nights) % {"n": lodging.min_nights}
    if nights > lodging.max_nights:
        return ngettext("Le séjour maximum est de %(n)s nuit.", "Le séjour maximum est de %(n)s nuits.",
                        lodging.max_nights) % {"n": lodging.max_nights}
    if str(arrival.isoweekday()) not in lodging.arrival_weekdays:
        return _("Les arrivées ne sont pas possibles ce jour de la semaine.")
    if str(departure.isoweekday()) not in lodging.departure_weekdays:
        return _("Les départs ne sont pas possibles ce jour de la semaine.")
    return None


def party_problem(*, adults: int, children: int) -> str | None:
    """Every booking, stay or experience session, has an adult in it."""
    if adults < 1 or children < 0:
        return _("Il faut au moins un adulte.")
    return None


def _capacity_problem(unit: Unit, adults: int, children: int) -> str | None:
    if adults > unit.adults_capacity or children > unit.children_capacity:
        return _("Trop de voyageurs : %(capacity)s au maximum.") % {
            "capacity": capacity_label(unit.adults_capacity, unit.children_capacity)}
    return None


# --- The same rules as filters on units (search) ------------------------------------------

def stay_dates_q(*, arrival: date, departure: date, today: date) -> Q:
    """Units whose lodging accepts these dates: `dates_problem` as a query on `Unit`."""
    if departure <= arrival or arrival < today:
        return Q(pk__in=[])
    nights = (departure - arrival).days
    return Q(lodging__advance_notice_days__lte=(arrival - today).days,
             lodging__min_nights__lte=nights, lodging__max_nights__gte=nights,
             lodging__arrival_weekdays__contains=str(arrival.isoweekday()),
             lodging__departure_weekdays__contains=str(departure.isoweekday()))


def party_size_q(guests: int) -> Q:
    """Units with room for a party of `guests` people, some of whom may be children: the
    search asks one number, the booking splits it. `Unit.max_guests` is adults_capacity +
    children_capacity (lodgings.services.refresh_search_columns), so a unit listed here takes
    that party for at least one split of it, and `_capacity_problem` answers for the split."""
    return Q(max_guests__gte=guests)
