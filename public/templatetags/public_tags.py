from decimal import Decimal

from django import template
from django.conf import settings
from django.utils.formats import number_format

register = template.Library()


@register.filter
def euros(amount) -> str:
    """120 → "120 €", 95.5 → "95,50 €" (French) / "95.50 €" (English)."""
    if amount in (None, ""):
        return ""
    amount = Decimal(amount)
    places = 0 if amount == amount.to_integral_value() else 2
    return number_format(amount, decimal_pos=places, force_grouping=True) + "\u00a0€"


@register.filter
def media(path: str) -> str:
    return f"{settings.MEDIA_URL}{path}" if path else ""


@register.filter
def photo_src(photo, size: str = "card") -> str:
    """URL of a photo's `size` rendition, falling back to the full image; "" when none."""
    if not photo:
        return ""
    for name in (size, "full"):
        image = getattr(photo, name, None)
        if image:
            return image.url
    return ""


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key, "") if mapping else ""
