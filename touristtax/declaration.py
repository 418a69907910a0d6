"""The declaration staff send a commune for a period (the platform remits twice a year: 1 January
– 30 June and 1 July – 31 December): per lodging, the nights, the adults taxed, the tariff and the
amount. Amounts come from the payouts ledger (tourist_tax_payable per booking), the nights and
persons from the tax frozen on each booking (`BookingTax`). A stay belongs to the period of its
last night (its service ends, at 00:00 Paris on the departure day, within the period or on the
day after it).

This app sits below payouts, so payouts registers its ledger reader here (PayoutsConfig.ready),
as exports' registry is filled from above."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import paris_midnight
from core.money import from_cents, to_cents
from exports.registry import Column, Table

from .models import BookingTax, Commune, TaxStatus

LedgerReader = Callable[[list[int]], dict[int, int]]  # booking ids -> tax owed now, in cents
_ledger_readers: list[LedgerReader] = []


def register_ledger_reader(reader: LedgerReader) -> LedgerReader:
    if reader not in _ledger_readers:
        _ledger_readers[:] = [reader]
    return reader


def _ledger_amounts(booking_ids: list[int]) -> dict[int, int]:
    if not _ledger_readers:
        raise RuntimeError("no ledger reader registered (payouts registers it)")
    return _ledger_readers[0](booking_ids)


@dataclass(frozen=True)
class Period:
    start: date  # first day
    end: date  # the day after the last

    @property
    def key(self) -> str:
        return f"{self.start.year}-S{1 if self.start.month == 1 else 2}"

    @property
    def label(self) -> str:
        return (_("1er semestre %(year)s") if self.start.month == 1 else _("2e semestre %(year)s")) % {
            "year": self.start.year}


def semester(year: int, half: int) -> Period:
    if half == 1:
        return Period(date(year, 1, 1), date(year, 7, 1))
    return Period(date(year, 7, 1), date(year + 1, 1, 1))


def semester_of(day: date) -> Period:
    return semester(day.year, 1 if day.month <= 6 else 2)


def previous_semester(today: date) -> Period:
    current = semester_of(today)
    return semester(current.start.year - 1, 2) if current.start.month == 1 else semester(current.start.year, 1)


def parse_period(value: str | None) -> Period | None:
    """"2026-S1" / "2026-S2" (what the admin's form sends); None for anything else."""
    match = re.fullmatch(r"(\d{4})-S([12])", (value or "").strip())
    if not match or not 2000 <= int(match[1]) <= 2100:
        return None
    return semester(int(match[1]), int(match[2]))


@dataclass(frozen=True)
class LodgingLine:
    lodging: str
    category: str
    stays: int
    nights: int
    persons: int  # adults taxed, summed over the stays
    person_nights: Decimal  # nuitées taxées (fewer when part of a stay was refunded)
    per_adult_night: Decimal
    amount_cents: int


@dataclass(frozen=True)
class Declaration:
    commune: Commune
    period: Period
    lines: list[LodgingLine]

    @property
    def total_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)

    @property
    def total(self) -> Decimal:
        return from_cents(self.total_cents)


def declaration(*, commune: Commune, period: Period) -> Declaration:
    """Per lodging and tariff: the stays of the period whose tax the ledger holds. Three queries."""
    rows = list(BookingTax.objects.filter(
        commune=commune, status=TaxStatus.COLLECTED,
        booking__service_end__gt=paris_midnight(period.start).astimezone(UTC),
        booking__service_end__lte=paris_midnight(period.end).astimezone(UTC),
    ).select_related("lodging").order_by("lodging__title", "lodging_id", "per_adult_night", "booking_id"))
    amounts = _ledger_amounts([row.booking_id for row in rows])
    grouped: dict[tuple, dict] = {}
    for row in rows:
        cents = amounts.get(row.booking_id, 0)
        if cents <= 0:  # not ended yet, or all of it refunded
            continue
        group = grouped.setdefault((row.lodging_id, row.per_adult_night), {
            "lodging": row.lodging.title, "category": row.get_category_display(), "stays": 0, "nights": 0,
            "persons": 0, "person_nights": Decimal("0"), "per_adult_night": row.per_adult_night, "amount_cents": 0})
        frozen = to_cents(row.amount)
        group["stays"] += 1
        group["nights"] += row.nights
        group["persons"] += row.adults
        group["person_nights"] += (Decimal(row.nights * row.adults) * cents / frozen).quantize(Decimal("0.01"))
        group["amount_cents"] += cents
    return Declaration(commune=commune, period=period, lines=[LodgingLine(**g) for g in grouped.values()])


COLUMNS = (Column(gettext_lazy("Hébergement"), width=36),
           Column(gettext_lazy("Classement"), width=24),
           Column(gettext_lazy("Séjours"), type="int", total=True),
           Column(gettext_lazy("Nuits"), type="int", total=True),
           Column(gettext_lazy("Personnes taxées"), type="int", total=True),
           Column(gettext_lazy("Nuitées taxées"), width=12),
           Column(gettext_lazy("Tarif par nuitée"), type="money"),
           Column(gettext_lazy("Montant"), type="money", total=True))


def declaration_table(result: Declaration) -> Table:
    """For the project's CSV and PDF writers (exports/writers.py)."""
    title = _("Taxe de séjour — %(commune)s (%(code)s), %(period)s") % {
        "commune": result.commune.name or "?", "code": result.commune.insee_code, "period": result.period.label}
    rows = [[line.lodging, line.category, line.stays, line.nights, line.persons, f"{line.person_nights:.2f}",
             line.per_adult_night, from_cents(line.amount_cents)] for line in result.lines]
    return Table(title=title, owner_name="Alma Heritage", columns=COLUMNS, rows=iter(rows), row_count=len(rows),
                 count_label=_("%(count)d ligne(s)") % {"count": len(rows)})
