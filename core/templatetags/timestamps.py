from datetime import UTC, datetime

from django import template

register = template.Library()


@register.filter
def html_datetime(value: datetime | None) -> str:
    """A `<time datetime>` value HTML accepts: UTC to the second ("…T09:30:00Z"); Django's
    `date:'c'` writes microseconds, which the HTML checker refuses."""
    if not isinstance(value, datetime):
        return ""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
