"""Phone numbers as people write them: stored in E.164 (+33612345678), shown grouped
(« +33 6 12 34 56 78 »), the `tel:` link keeping the stored form."""
import phonenumbers
from django import template

register = template.Library()


@register.filter
def phone(value: str) -> str:
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
