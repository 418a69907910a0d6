"""The tax's arithmetic, in plain functions (no database): docs/tourist-tax.md.

Amounts are Decimal euros rounded half-up to the cent by the project's one rounding
(`core.money.round_money`); ledger shares are integer cents."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from core.money import round_money

HUNDRED = Decimal(100)


def non_classified_per_person_night(*, nightly_price: Decimal, occupants: int, rate_percent: Decimal,
                                    cap: Decimal) -> Decimal:
    """The communal tariff per person and per night of a lodging without classification
    (CGCT art. L2333-30): `rate_percent` (1 to 5 %, voted by the commune) of the cost per person
    of the night — the price of the night (without taxes) divided by the number of occupants,
    minors included — within the limit of `cap`: the highest tariff the commune adopted (or,
    if lower, the ceiling of 4-star hotels), which the caller passes. Only adults then pay it
    (minors are exempt, art. L2333-31); the additional taxes come on top (`with_additional`)."""
    if occupants < 1:
        raise ValueError("a night has at least one occupant")
    per_person = Decimal(nightly_price) / occupants
    return round_money(min(per_person * Decimal(rate_percent) / HUNDRED, Decimal(cap)))


def additional(communal: Decimal, rate_percent: Decimal) -> Decimal:
    """An additional tax (the département's 10 %, a region's) on the communal amount per night."""
    return round_money(Decimal(communal) * Decimal(rate_percent) / HUNDRED)


def stay_amount(*, per_adult_night: Decimal, adults: int, nights: int) -> Decimal:
    """Per adult per night × adults × nights: children (minors) pay nothing."""
    return round_money(Decimal(per_adult_night) * adults * nights)


def share_cents(tax_cents: int, part_cents: int, whole_cents: int) -> int:
    """The tax that goes with `part_cents` of a `whole_cents` payment (the tax included), half-up:
    a refund of half the money returns half the tax, a refund of all of it all the tax."""
    if whole_cents <= 0 or tax_cents <= 0 or part_cents <= 0:
        return 0
    if part_cents >= whole_cents:
        return tax_cents
    exact = Decimal(tax_cents) * part_cents / whole_cents
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
