"""The owner's "Paiements" tab: paid bookings with commission and net; nobody else's."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings import services as bookings
from bookings.models import Booking

pytestmark = pytest.mark.django_db


def paid_stay(*, unit, owner, traveller, days_ahead: int) -> Booking:
    now = timezone.now()
    arrival = timezone.localdate() + timedelta(days=days_ahead)
    booking = bookings.request_stay(traveller=traveller, unit=unit, arrival=arrival,
                                    departure=arrival + timedelta(days=3), adults=2, children=0, now=now)
    bookings.accept(booking=booking, by=owner, now=now)
    assert bookings.confirm_payment(booking=booking, amount_paid=booking.total_price, now=now)
    return booking


def test_the_payments_tab_lists_paid_bookings_with_commission_and_net(owner_client, owner, traveller, unit):
    paid = paid_stay(unit=unit, owner=owner, traveller=traveller, days_ahead=30)
    response = owner_client.get(reverse("dashboard_payments"))
    html = response.content.decode()
    assert response.status_code == 200
    assert paid.reference in html
    assert "400,00\u00a0€" in html and "52,00\u00a0€" in html and "348,00\u00a0€" in html  # paid, 13 % commission, net
    assert "13 %" in html and "15 %" in html


def test_the_payments_tab_has_an_honest_empty_state(owner_client, owner, traveller, unit):
    now = timezone.now()
    arrival = timezone.localdate() + timedelta(days=30)
    bookings.request_stay(traveller=traveller, unit=unit, arrival=arrival, departure=arrival + timedelta(days=2),
                          adults=1, children=0, now=now)  # asked, not paid: not listed
    html = owner_client.get(reverse("dashboard_payments")).content.decode()
    assert "Aucune réservation payée pour le moment" in html
    assert "Aucun virement ni facture pour le moment" in html


def test_another_owners_payments_never_show(client, other_owner, owner, traveller, unit):
    paid = paid_stay(unit=unit, owner=owner, traveller=traveller, days_ahead=30)
    client.force_login(other_owner)
    html = client.get(reverse("dashboard_payments")).content.decode()
    assert paid.reference not in html


def test_the_payments_tab_is_for_owners(client, traveller):
    client.force_login(traveller)
    assert client.get(reverse("dashboard_payments")).status_code == 302


def test_the_payments_tab_needs_a_fixed_number_of_queries(owner_client, owner, traveller, unit,
                                                          django_assert_max_num_queries):
    for week in range(6):
        paid_stay(unit=unit, owner=owner, traveller=traveller, days_ahead=30 + 7 * week)
    with django_assert_max_num_queries(12):
        response = owner_client.get(reverse("dashboard_payments"))
    assert response.content.decode().count("348,00\u00a0€") == 6
    assert "2\xa0088,00\u00a0€" in response.content.decode()  # the total of the nets
