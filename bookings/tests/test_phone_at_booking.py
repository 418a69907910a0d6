"""The traveller's phone number, asked at booking (stays and experiences), kept on their
account, and read by the host once the booking is confirmed; the host's on the confirmed trip."""
from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings import services
from bookings.models import Booking

pytestmark = pytest.mark.django_db

STAY = {"arrival": "2027-06-07", "departure": "2027-06-10", "adults": "2", "children": "0",
        "message": "Nous arriverons vers 18 h."}


@pytest.fixture
def traveller_client(client, traveller):
    client.force_login(traveller)
    return client


def stay_url(unit) -> str:
    return reverse("booking_start", args=[unit.pk])


def page_text(response) -> str:
    return unescape(response.content.decode())


@pytest.mark.parametrize(("typed", "stored"), [
    ("06 12 34 56 78", "+33612345678"),
    ("+33 6 12 34 56 78", "+33612345678"),
    ("0044 20 7946 0958", "+442079460958"),  # a British landline, dialled from France
    ("+1 415-555-0132", "+14155550132"),
])
def test_the_number_given_at_booking_is_kept_on_the_account(traveller_client, traveller, unit, typed, stored):
    response = traveller_client.post(stay_url(unit), {**STAY, "phone": typed})
    assert response.status_code == 302 and Booking.objects.filter(traveller=traveller).exists()
    traveller.refresh_from_db()
    assert traveller.phone == stored


@pytest.mark.parametrize("typed", ["12345", "06 12 34", "+33 1", "téléphone", "0" * 40])
def test_a_number_that_cannot_be_dialled_is_refused_on_the_page(traveller_client, traveller, unit, typed):
    response = traveller_client.post(stay_url(unit), {**STAY, "phone": typed})
    assert response.status_code == 400
    assert "Ce numéro de téléphone n'est pas valide" in page_text(response) or "au plus 32" in page_text(response)
    assert not Booking.objects.exists()
    traveller.refresh_from_db()
    assert traveller.phone == ""


def test_no_booking_without_a_number_but_the_price_preview_needs_none(traveller_client, unit):
    preview = traveller_client.get(stay_url(unit), {"arrival": STAY["arrival"], "departure": STAY["departure"]})
    assert preview.status_code == 200 and "Détail du prix" in page_text(preview)
    assert "Ce champ est obligatoire" not in page_text(preview)
    quote = traveller_client.post(stay_url(unit), {**STAY, "quote": "1"})
    assert quote.status_code == 200 and "Ce champ est obligatoire" not in page_text(quote)

    response = traveller_client.post(stay_url(unit), STAY)
    assert response.status_code == 400 and "Ce champ est obligatoire" in page_text(response)
    assert not Booking.objects.exists()


def test_a_missing_number_does_not_hide_the_booking_rules(traveller_client, unit):
    response = traveller_client.post(stay_url(unit), {**STAY, "departure": "2027-06-08"})  # one night of two
    text = page_text(response)
    assert response.status_code == 400
    assert "Ce champ est obligatoire" in text and "Le séjour minimum est de 2 nuits." in text


def test_the_form_starts_from_the_accounts_number(traveller_client, traveller, unit):
    traveller.phone = "+33698765432"
    traveller.save()
    page = page_text(traveller_client.get(stay_url(unit)))
    assert 'type="tel"' in page and 'value="+33698765432"' in page and 'autocomplete="tel"' in page
    preview = page_text(traveller_client.get(stay_url(unit), {"arrival": STAY["arrival"],
                                                                "departure": STAY["departure"]}))
    assert 'value="+33698765432"' in preview


def test_an_experience_booking_asks_for_it_too(traveller_client, traveller, session):
    url = reverse("booking_start_session", args=[session.pk])
    assert "Votre téléphone" in page_text(traveller_client.get(url))
    refused = traveller_client.post(url, {"adults": "2", "children": "0"})
    assert refused.status_code == 400 and not Booking.objects.exists()
    booked = traveller_client.post(url, {"adults": "2", "children": "0", "phone": "07 81 22 33 44"})
    assert booked.status_code == 302 and Booking.objects.get().total_price == Decimal("90.00")
    traveller.refresh_from_db()
    assert traveller.phone == "+33781223344"


def test_the_host_reads_the_number_once_confirmed_and_the_traveller_reads_the_hosts(
        traveller_client, client, traveller, owner, unit):
    traveller_client.post(stay_url(unit), {**STAY, "phone": "06 11 22 33 44"})
    booking = Booking.objects.get()
    trip = page_text(traveller_client.get(reverse("trip_detail", args=[booking.reference])))
    assert "+33 6 12 34 56 78" not in trip  # the host's number: not before the stay is confirmed

    client.force_login(owner)
    detail = page_text(client.get(reverse("dashboard_booking", args=[booking.reference])))
    assert "+33 6 11 22 33 44" not in detail  # a request: contact details once confirmed

    now = timezone.now()
    services.accept(booking=booking, by=owner, now=now)
    booking.refresh_from_db()
    assert services.confirm_payment(booking=booking, amount_paid=booking.total_price, now=now + timedelta(minutes=1))

    detail = page_text(client.get(reverse("dashboard_booking", args=[booking.reference])))
    assert 'href="tel:+33611223344">+33 6 11 22 33 44</a>' in detail
    clients = page_text(client.get(reverse("dashboard_clients")))
    assert "Lucie Bernard" in clients and 'href="tel:+33611223344">+33 6 11 22 33 44</a>' in clients

    client.force_login(traveller)
    trip = page_text(client.get(reverse("trip_detail", args=[booking.reference])))
    assert "Votre hôte" in trip and 'href="tel:+33612345678">+33 6 12 34 56 78</a>' in trip
