"""Money, in one place: euros as `Decimal` with two places, cents as `int`, one rounding
(half-up to the cent) and one way to write an amount for people (pages, emails, PDFs)."""
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.utils.formats import get_format
from django.utils.translation import get_language

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


def format_eur(amount, *, compact: bool = False, language: str | None = None) -> str:
    """"1 234,50 €" in French, "1,234.50 €" in English (the active language's separators, or
    `language`'s: a caller printing many amounts reads the active one once).
    `compact` drops the cents of a whole amount ("120 €"), for prices on cards."""
    if amount is None or amount == "":
        return ""
    amount = Decimal(amount)
    places = 0 if compact and amount == amount.to_integral_value() else 2
    return _grouped(amount, places, *_separators(language or get_language())) + NBSP + "€"


_SHOWN = {0: Decimal("0.1"), 2: CENT}  # below it Django writes 0 (its cut-off for 0 places is 0.1)


@lru_cache(maxsize=16)
def _separators(language: str | None) -> tuple[str, str, int]:
    return (get_format("DECIMAL_SEPARATOR", language, use_l10n=True),
            get_format("THOUSAND_SEPARATOR", language, use_l10n=True),
            get_format("NUMBER_GROUPING", language, use_l10n=True))


def _grouped(amount: Decimal, places: int, decimal_separator: str, thousand_separator: str, grouping: int) -> str:
    """Django's number_format(amount, places, force_grouping=True), as it writes a Decimal:
    digits past `places` cut (amounts here are exact to the cent), an amount too small to
    show written 0. Django's own took ~40 µs an amount (60 of them on a search page, issue
    14); core/tests/test_money.py compares the two."""
    if abs(amount) < (_SHOWN.get(places) or Decimal(1).scaleb(-places)):
        amount = Decimal(0)
    text = f"{amount:f}"
    sign = "-" if text.startswith("-") else ""
    integer, _, fraction = text.lstrip("-").partition(".")
    if grouping and len(integer) > grouping:
        head = len(integer) % grouping or grouping
        integer = integer[:head] + "".join(thousand_separator + integer[i:i + grouping]
                                           for i in range(head, len(integer), grouping))
    if not places:
        return sign + integer
    return sign + integer + decimal_separator + (fraction + "0" * places)[:places]


def format_cents(cents: int, *, compact: bool = False) -> str:
    return format_eur(from_cents(cents), compact=compact)
