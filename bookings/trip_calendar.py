"""A confirmed trip as an iCalendar file for the traveller's own calendar ("Ajouter à mon
agenda"): a stay is an all-day event over its nights [arrival, departure), an experience the
session's times; the place, the host and the booking's page are in it."""
from datetime import UTC

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from .models import Booking


def trip_ics(booking: Booking) -> bytes:
    domain = booking.offer.domain
    event = Event()
    event.add("uid", f"{booking.reference}@almaheritage")
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("summary", f"{booking.title} · {domain.name}")
    if booking.session_id:
        event.add("dtstart", booking.session.start.astimezone(UTC))
        event.add("dtend", booking.session.end.astimezone(UTC))
    else:
        event.add("dtstart", booking.arrival)  # dates: an all-day span, the departure day excluded
        event.add("dtend", booking.departure)
    place = ", ".join(part for part in (domain.name, domain.address_line, f"{domain.postal_code} {domain.commune}".strip())
                      if part)
    event.add("location", place)
    host = booking.owner.get_full_name() or booking.owner.email
    url = f"{settings.SITE_URL}{reverse('trip_detail', args=[booking.reference])}"
    event.add("description", f"{booking.reference} · {host} {booking.owner.phone}".strip() + f"\n{url}")
    event.add("url", url)
    calendar = Calendar()
    calendar.add("prodid", "-//Alma Heritage//Mes voyages//FR")
    calendar.add("version", "2.0")
    calendar.add_component(event)
    return calendar.to_ical()
