"""The price a traveller sees before booking. The bookings app freezes the real price on
the booking; this is the same arithmetic, shown early: nights × nightly price + cleaning."""
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from lodgings.models import Unit

CENT = Decimal("0.01")


def money(amount: Decimal) -> Decimal:
    """Round half-up to the cent, once."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class StayQuote:
    nights: int
    nightly_price: Decimal
    nights_total: Decimal
    cleaning_fee: Decimal
    total: Decimal


def stay_quote(*, unit: Unit, arrival: date, departure: date) -> StayQuote:
    nights = (departure - arrival).days
    nights_total = money(unit.nightly_price * nights)
    cleaning_fee = money(unit.lodging.cleaning_fee)
    return StayQuote(nights=nights, nightly_price=money(unit.nightly_price), nights_total=nights_total,
                     cleaning_fee=cleaning_fee, total=money(nights_total + cleaning_fee))
