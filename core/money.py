"""Money, in one place: euros as `Decimal` with two places, cents as `int`, one rounding
(half-up to the cent) and one way to write an amount for people (pages, emails, PDFs)."""
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

CENT = Decimal("0.01")
NBSP = "\u00a0"  # French typography: a non-breaking space before the € sign, in every language here


def round_money(amount) -> Decimal:
    """The one rounding of the project: to the cent, half-up (0.005 → 0.01)."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def to_cents(amount) -> int:
    """Euros → integer cents. The amount must already be exact to the cent: a third decimal
    here is a bug upstream (a missing `round_money`), never something to round away."""
    amount = Decimal(amount)
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"{amount} € is not a whole number of cents")
    return int(cents)


def from_cents(cents: int) -> Decimal:
    return (Decimal(int(cents)) * CENT).quantize(CENT)


def format_eur(amount, *, compact: bool = False) -> str:
    """"1 234,50 €" in French, "1,234.50 €" in English (the active language's separators).
    `compact` drops the cents of a whole amount ("120 €"), for prices on cards."""
    if amount is None or amount == "":
        return ""
    amount = Decimal(amount)
    places = 0 if compact and amount == amount.to_integral_value() else 2
    return number_format(amount, decimal_pos=places, force_grouping=True) + NBSP + "€"


def format_cents(cents: int, *, compact: bool = False) -> str:
    return format_eur(from_cents(cents), compact=compact)
