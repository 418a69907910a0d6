from django import template

from calsync.models import DoubleBookingAlert
from calsync.selectors import open_alerts
from core.compiledsql import CompiledQuery

register = template.Library()

# Every page of the dashboard asks; almost always there is none. Built by the ORM once
# (core/compiledsql.py): building the full query cost ~4 ms of CPU a page under load, as
# much as two minimal pages (issue 14).
_OPEN_ALERT_IDS = CompiledQuery(
    lambda owner_id: DoubleBookingAlert.objects.filter(unit__lodging__domain__owner_id=owner_id,
                                                       resolved_at__isnull=True)
    .order_by("detected_at").values_list("pk")[:10],
    sentinels=(-7_301_401,))


@register.simple_tag(takes_context=True)
def open_double_bookings(context) -> list:
    """The owner's unresolved double bookings, for the dashboard banner: one query when
    there is none, a second one for their details when there are."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    ids = [pk for (pk,) in _OPEN_ALERT_IDS(user.pk)]
    if not ids:
        return []
    return list(open_alerts(user).filter(pk__in=ids))
