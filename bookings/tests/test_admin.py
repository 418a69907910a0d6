"""Staff see bookings (filters, search, history inline) and imported blocks, read-only."""
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from bookings import services
from bookings.models import ExternalBlock

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_staff_find_a_booking_by_reference_or_email_and_see_its_history(staff_client, traveller, unit):
    booking = services.request_stay(traveller=traveller, unit=unit, arrival=date(2027, 6, 7),
                                    departure=date(2027, 6, 10), adults=2, children=0, now=NOW)
    changelist = reverse("admin:bookings_booking_changelist")
    for query in (booking.reference, traveller.email):
        assert booking.reference in staff_client.get(changelist, {"q": query}).content.decode()
    assert staff_client.get(changelist, {"status__exact": "requested", "kind__exact": "stay"}).status_code == 200
    page = staff_client.get(reverse("admin:bookings_booking_change", args=[booking.pk])).content.decode()
    assert "En attente de réponse" in page and "Lucie" in page


def test_imported_blocks_are_listed_read_only(staff_client, unit):
    block = ExternalBlock.objects.create(unit=unit, start=date(2027, 7, 1), end=date(2027, 7, 3), feed_id=1,
                                         source_name="Airbnb")
    assert "Airbnb" in staff_client.get(reverse("admin:bookings_externalblock_changelist")).content.decode()
    assert staff_client.post(reverse("admin:bookings_externalblock_delete", args=[block.pk]),
                             {"post": "yes"}).status_code == 403
    assert ExternalBlock.objects.filter(pk=block.pk).exists()


def test_staff_cancel_from_admin_refunds_everything(staff_client, staff, traveller, owner, unit):
    booking = services.request_stay(traveller=traveller, unit=unit, arrival=date(2027, 6, 7),
                                    departure=date(2027, 6, 10), adults=2, children=0, now=NOW)
    services.accept(booking=booking, by=owner, now=NOW)
    services.confirm_payment(booking=booking, amount_paid=Decimal("400.00"), now=NOW)
    response = staff_client.post(reverse("admin:bookings_booking_changelist"),
                                 {"action": "cancel_with_full_refund", "_selected_action": [booking.pk]}, follow=True)
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by) == ("cancelled", "staff")
    assert "remboursement de 400,00\u00a0€" in response.content.decode()
    entry = LogEntry.objects.get(user=staff, object_id=str(booking.pk))  # in the booking's admin history
    assert entry.get_change_message() == "Annulée par l'équipe, remboursement de 400,00\u00a0€"
