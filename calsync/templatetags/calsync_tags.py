from django import template

from calsync.selectors import open_alerts

register = template.Library()


@register.simple_tag(takes_context=True)
def open_double_bookings(context) -> list:
    """The owner's unresolved double bookings, for the dashboard banner (one query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return list(open_alerts(user)[:10])
