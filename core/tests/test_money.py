import random
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.formats import number_format

from core.money import NBSP, format_cents, format_eur, round_money


@pytest.mark.parametrize(("amount", "rounded"), [("0.005", "0.01"), ("0.004", "0.00"), ("2.675", "2.68"), ("-0.005", "-0.01")])
def test_money_rounds_half_up_to_the_cent(amount, rounded):
    assert round_money(Decimal(amount)) == Decimal(rounded)


def test_an_amount_is_written_the_same_way_in_python_and_templates():
    with translation.override("fr"):
        written = format_eur(Decimal("1234.5"))
        assert written == "1\u00a0234,50\u00a0€"
        assert Template("{% load money %}{{ amount|eur }}").render(Context({"amount": Decimal("1234.5")})) == written
        assert format_cents(123450) == written
    with translation.override("en"):
        assert format_eur(Decimal("1234.5")) == "1,234.50\u00a0€"


def test_compact_drops_the_cents_of_whole_amounts_only():
    with translation.override("fr"):
        assert format_eur(Decimal("120.00"), compact=True) == "120\u00a0€"
        assert format_eur(Decimal("95.5"), compact=True) == "95,50\u00a0€"
        assert format_eur(None) == ""


def test_the_first_of_the_month_is_1er_in_french_and_1_in_english():
    from datetime import date

    from django.template import Context, Template
    from django.utils import translation

    page = Template('{{ d|long_date:"l j F Y" }} · {{ e|long_date }}')
    with translation.override("fr"):
        assert page.render(Context({"d": date(2026, 12, 1), "e": date(2026, 12, 2)})) == "mardi 1er décembre 2026 · 2 décembre 2026"
    with translation.override("en"):
        assert page.render(Context({"d": date(2026, 12, 1), "e": date(2026, 12, 2)})).startswith("Tuesday 1 December 2026")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_amounts_are_written_as_django_s_number_format_writes_them(language):
    """format_eur writes the digits itself (Django's number_format cost ~40 µs an amount);
    it must write exactly what Django would, separators of the language included."""
    rng = random.Random(7)
    amounts = [Decimal(text) for text in ("0", "-0", "0.004", "-0.004", "0.01", "0.09", "0.1", "1", "-1", "999",
                                          "1000", "-1000.5", "12345.678", "1234567.5", "1E+3", "2.50", "120.00")]
    amounts += [Decimal(rng.randint(-10**9, 10**9)) / Decimal(10) ** rng.randint(0, 3) for _ in range(2000)]
    with translation.override(language):
        for amount in amounts:
            for compact in (False, True):
                places = 0 if compact and amount == amount.to_integral_value() else 2
                assert format_eur(amount, compact=compact) == number_format(
                    amount, decimal_pos=places, force_grouping=True) + NBSP + "€", (amount, compact)
