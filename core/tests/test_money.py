from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from core.money import format_cents, format_eur, round_money


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
