"""`{% load money %}` then `{{ amount|eur }}` ("1 234,50 €") or `{{ amount|eur:"compact" }}`
("120 €" for a whole amount): the same writing as emails and PDFs (core.money.format_eur)."""
from django import template

from core.money import format_cents, format_eur

register = template.Library()


@register.filter
def eur(amount, style: str = "") -> str:
    return format_eur(amount, compact=style == "compact")


@register.filter
def eur_cents(cents, style: str = "") -> str:
    return "" if cents in (None, "") else format_cents(int(cents), compact=style == "compact")
