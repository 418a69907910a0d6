"""Staff see feed health (stale and failing first) and the double-booking queue."""
from datetime import date

import pytest
from django.urls import reverse

from calsync.models import DoubleBookingAlert, Feed

pytestmark = pytest.mark.django_db


def test_staff_filter_stale_and_failing_feeds(client, staff, unit):
    Feed.objects.create(unit=unit, url="https://example.com/ok.ics", name="Sain")
    Feed.objects.create(unit=unit, url="https://example.com/ko.ics", name="Cassé", is_stale=True,
                        consecutive_failures=7, last_error="HTTP 500")
    client.force_login(staff)
    page = client.get(reverse("admin:calsync_feed_changelist"), {"sante": "stale"}).content.decode()
    assert "Cassé" in page and "Sain" not in page
    page = client.get(reverse("admin:calsync_feed_changelist"), {"sante": "failing"}).content.decode()
    assert "Cassé" in page and "Sain" not in page


def test_staff_see_open_double_bookings(client, staff, unit, book, now):
    booking = book(unit, date(2027, 3, 3), date(2027, 3, 6))
    DoubleBookingAlert.objects.create(unit=unit, booking=booking, source_name="Airbnb", block_start=date(2027, 3, 3),
                                      block_end=date(2027, 3, 4), detected_at=now)
    client.force_login(staff)
    page = client.get(reverse("admin:calsync_doublebookingalert_changelist"), {"etat": "open"}).content.decode()
    assert booking.reference in page
    assert client.get(reverse("admin:calsync_unitcalendar_changelist")).status_code == 200
