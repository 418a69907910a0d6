from django import template

from calsync.selectors import booking_url, open_alerts

register = template.Library()


@register.simple_tag(takes_context=True)
def open_double_bookings(context) -> list:
    """The owner's unresolved double bookings, for the dashboard banner (one query)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    alerts = list(open_alerts(user)[:10])
    for alert in alerts:
        alert.booking_url = booking_url(alert.booking.reference)
    return alerts


@register.simple_tag
def calsync_contract_url() -> str:
    """The owner contract page (public app), or "" while it does not exist."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("page_detail", args=["contrat-proprietaire"])
    except NoReverseMatch:
        return ""
