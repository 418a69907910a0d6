"""Reports on the owner's "Réservations" pages (bookings may not import reports, its
templates load these): « Signalé à l'équipe » on the bookings the owner reported, and the
report box of a booking page. Each costs one query, whatever the number of rows."""
from django import template

from .. import services
from ..models import TravellerReport

register = template.Library()


@register.simple_tag(takes_context=True)
def reported_bookings(context, rows) -> set[int]:
    """`{% reported_bookings rows as reported %}`: ids of the page's bookings whose traveller
    the current owner reported (open or upheld). Other owners' reports never count."""
    return services.bookings_reported_by(owner=context["request"].user,
                                         booking_ids=[row.booking.pk for row in rows])  # model or values


@register.inclusion_tag("reports/includes/booking_report.html", takes_context=True)
def booking_report(context, booking):
    """On a booking page: the owner's last report on it (and whether it flags), or the link to report."""
    user = context["request"].user
    report = TravellerReport.objects.filter(booking=booking, owner=user).order_by("-created_at", "-id").first()
    return {"booking": booking, "report": report,
            "flagged": report is not None and report.flags_traveller,
            # An open report is always the latest (one open at a time), so no second query.
            "can_report": booking.status in services.REPORTABLE_STATUSES and (report is None or not report.is_open)}
