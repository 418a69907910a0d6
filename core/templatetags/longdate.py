"""`{{ value|long_date:"l j F Y" }}` (core.dates.long_date): Django's `date` filter with French's
"1er" for the first of the month. A builtin of both template engines (settings TEMPLATES), so
pages, emails and PDFs write dates one way."""
from django import template

from core.dates import long_date as format_long_date

register = template.Library()


@register.filter(expects_localtime=True)
def long_date(value, format_string: str = "j F Y") -> str:
    if not value:
        return ""
    return format_long_date(value, format_string)
