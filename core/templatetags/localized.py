"""`{% localized offer "description" as text %}` then `<p{{ text.lang_attr }}>{{ text }}</p>`:
the English text on English pages when given, else the French marked lang="fr" (core/localized.py)."""
from django import template

from core.localized import localized as localized_text

register = template.Library()


@register.simple_tag
def localized(obj, field: str):
    return localized_text(obj, field)


@register.filter
def in_page_language(obj, field: str) -> str:
    """Only the text, where no element can carry `lang` (a `<title>`, an `alt`)."""
    return localized_text(obj, field).text
