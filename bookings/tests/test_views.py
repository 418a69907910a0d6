"""The traveller's pages: booking form, Mes voyages, a trip, cancelling it."""
import re
from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from bookings import services
from bookings.models import Booking, BookingStatus
from conftest import make_user

from .conftest import NOW

pytestmark = pytest.mark.django_db
D = date.fromisoformat


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def traveller_client(client, traveller):
    client.force_login(traveller)
    return client


def stay_url(unit):
    return reverse("booking_start", args=[unit.pk])


STAY = {"arrival": "2027-06-07", "departure": "2027-06-10", "adults": "2", "children": "1",
        "phone": "06 12 34 56 78", "message": "Bonjour, nous arrivons vers 18 h."}


def test_anonymous_visitor_is_sent_to_login_and_back(client, unit):
    url = stay_url(unit) + "?arrival=2027-06-07&departure=2027-06-10&adults=2&children=0"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login")) and "reserver" in response["Location"]


def test_booking_page_shows_the_price_breakdown(traveller_client, unit):
    response = traveller_client.get(stay_url(unit), {k: v for k, v in STAY.items() if k != "message"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 nuits × 120,00\u00a0€" in html and "Frais de ménage" in html and "400,00\u00a0€" in html


def test_calculer_le_prix_shows_the_price_without_booking_nor_a_token_in_the_url(traveller_client, unit):
    page = traveller_client.get(stay_url(unit), {k: v for k, v in STAY.items() if k != "message"}).content.decode()
    assert 'formmethod="get"' not in page  # the CSRF token went into the address bar
    response = traveller_client.post(stay_url(unit), {**STAY, "quote": "1"})
    assert response.status_code == 200 and not Booking.objects.exists()
    assert "3 nuits × 120,00\u00a0€" in response.content.decode()
    assert "Bonjour, nous arrivons vers 18 h." in unescape(response.content.decode())  # the message is kept


def test_posting_a_request_creates_it_with_the_server_price(traveller_client, traveller, unit):
    forged = {**STAY, "total_price": "1", "status": "confirmed", "price_lines": "[]"}
    response = traveller_client.post(stay_url(unit), forged)
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("trip_detail", args=[booking.reference])
    assert (booking.status, booking.total_price, booking.traveller) == ("requested", Decimal("400.00"), traveller)
    assert booking.message == "Bonjour, nous arrivons vers 18 h."


def test_a_second_tab_on_ones_own_checkout_offers_to_resume_the_payment(traveller_client, instant_unit):
    stay = {k: v for k, v in STAY.items() if k != "message"}
    traveller_client.post(stay_url(instant_unit), stay)
    checkout = Booking.objects.get(unit=instant_unit)
    page = traveller_client.get(stay_url(instant_unit), stay).content.decode()
    assert "Reprendre le paiement" in page and reverse("payment_page", args=[checkout.reference]) in page


def test_a_second_tab_on_ones_own_request_links_to_it(traveller_client, unit):
    stay = {k: v for k, v in STAY.items() if k != "message"}
    traveller_client.post(stay_url(unit), STAY)
    request = Booking.objects.get(unit=unit)
    page = traveller_client.get(stay_url(unit), stay).content.decode()
    assert f"déjà retenues par votre réservation {request.reference}" in page
    assert reverse("trip_detail", args=[request.reference]) in page


def test_someone_elses_hold_offers_nothing_to_resume(client, traveller, unit):
    from conftest import make_user

    traveller_client = client
    traveller_client.force_login(traveller)
    traveller_client.post(stay_url(unit), STAY)
    other = make_user("autre@example.fr")
    client.force_login(other)
    page = client.get(stay_url(unit), {k: v for k, v in STAY.items() if k != "message"}).content.decode()
    assert "plus disponibles" in page and "Voir ma réservation" not in page and "Reprendre" not in page


def test_instant_booking_goes_to_payment(traveller_client, instant_unit):
    response = traveller_client.post(stay_url(instant_unit), STAY)
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.CHECKOUT
    try:
        expected = reverse("payment_page", args=[booking.reference])
    except Exception:
        expected = reverse("trip_detail", args=[booking.reference])
    assert response["Location"] == expected


@pytest.mark.parametrize(("change", "message"), [
    ({"departure": "2027-06-05"}, "La date de départ doit être après la date d'arrivée."),
    ({"arrival": "2027-04-01", "departure": "2027-04-04"}, "Ces dates sont passées."),
    ({"departure": "2027-06-08"}, "Le séjour minimum est de 2 nuits."),
    ({"adults": "9"}, "Trop de voyageurs"),
    ({"arrival": "pas une date"}, "Saisissez une date valide."),
    ({"adults": "0"}, "Il faut au moins un adulte."),
])
def test_bad_input_shows_a_form_error_and_saves_nothing(traveller_client, unit, change, message):
    response = traveller_client.post(stay_url(unit), {**STAY, **change})
    assert response.status_code == 400
    assert message in unescape(response.content.decode())
    assert not Booking.objects.exists()


def test_overlapping_post_gets_dates_no_longer_available_not_a_500(traveller_client, unit):
    other = make_user("paul@example.fr")
    services.request_stay(traveller=other, unit=unit, arrival=D("2027-06-08"), departure=D("2027-06-12"),
                          adults=1, children=0, now=NOW)
    response = traveller_client.post(stay_url(unit), STAY)
    assert response.status_code == 409
    assert "Ces dates ne sont plus disponibles." in response.content.decode()
    assert Booking.objects.count() == 1


def test_race_lost_between_form_check_and_insert_is_a_409(traveller_client, unit, monkeypatch):
    """The form saw the dates free, then someone else took them before our insert."""
    def taken(**kwargs):
        raise services.DatesUnavailable()

    monkeypatch.setattr(services, "request_stay", taken)
    response = traveller_client.post(stay_url(unit), STAY)
    assert response.status_code == 409 and "Ces dates ne sont plus disponibles." in response.content.decode()


def test_unpublished_unit_is_a_404(traveller_client, unit):
    unit.lodging.status = "draft"
    unit.lodging.save()
    assert traveller_client.get(stay_url(unit)).status_code == 404


def test_session_booking_page_books_places(traveller_client, session):
    url = reverse("booking_start_session", args=[session.pk])
    page = traveller_client.get(url, {"adults": "2", "children": "0"})
    assert "2 adultes × 45,00\u00a0€" in page.content.decode()
    response = traveller_client.post(url, {"adults": "2", "children": "0", "phone": "0612345678", "total_price": "0"})
    booking = Booking.objects.get()
    assert response.status_code == 302 and booking.total_price == Decimal("90.00")
    response = traveller_client.post(url, {"adults": "11", "children": "0", "phone": "0612345678"})
    assert response.status_code == 400 and "plus assez de places" in response.content.decode()


# --- Mes voyages ---------------------------------------------------------------------

def make_trips(traveller, unit, count):
    bookings = []
    for i in range(count):
        arrival = D("2027-06-07") + timedelta(days=3 * i)
        bookings.append(services.request_stay(traveller=traveller, unit=unit, arrival=arrival,
                                              departure=arrival + timedelta(days=2), adults=1, children=0, now=NOW))
    return bookings


def test_trips_list_tabs_and_fixed_query_count(traveller_client, traveller, unit, session,
                                              django_assert_max_num_queries):
    trips = make_trips(traveller, unit, 12)
    services.book_session(traveller=traveller, session=session, adults=1, children=0, now=NOW)
    services.cancel(booking=trips[0], by=traveller, now=NOW)
    with django_assert_max_num_queries(8):
        response = traveller_client.get(reverse("trips"))
    html = response.content.decode()
    assert response.status_code == 200 and "Page 1 sur 2" in html and trips[0].reference not in html
    with django_assert_max_num_queries(8):
        cancelled = traveller_client.get(reverse("trips"), {"tab": "cancelled"}).content.decode()
    assert trips[0].reference in cancelled and trips[1].reference not in cancelled
    assert "Aucun voyage passé" in traveller_client.get(reverse("trips"), {"tab": "past"}).content.decode()


def test_menu_links_to_my_trips(traveller_client):
    assert reverse("trips") in traveller_client.get(reverse("trips")).content.decode()


def test_trip_detail_shows_status_price_and_history(traveller_client, traveller, owner, unit):
    [booking] = make_trips(traveller, unit, 1)
    services.accept(booking=booking, by=owner, now=NOW)
    booking.events.update(created_at=NOW + timedelta(microseconds=123456))  # a real clock has them
    html = traveller_client.get(reverse("trip_detail", args=[booking.reference])).content.decode()
    assert "En attente de paiement" in html and "2 nuits × 120,00\u00a0€" in html
    assert "En attente de réponse → En attente de paiement" in html
    assert "À payer avant le" in html
    stamps = re.findall(r'<time datetime="([^"]+)"', html)
    assert stamps and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp) for stamp in stamps)


def test_someone_elses_trip_is_a_404_on_every_url(client, traveller, owner, unit):
    [booking] = make_trips(traveller, unit, 1)
    for intruder in (make_user("intrus@example.fr"), owner):
        client.force_login(intruder)
        for name in ("trip_detail", "trip_cancel"):
            assert client.get(reverse(name, args=[booking.reference])).status_code == 404
        assert client.post(reverse("trip_cancel", args=[booking.reference])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.REQUESTED


def test_cancel_page_shows_the_refund_before_confirming(traveller_client, traveller, owner, unit):
    [booking] = make_trips(traveller, unit, 1)
    services.accept(booking=booking, by=owner, now=NOW)
    services.confirm_payment(booking=booking, amount_paid=Decimal("280.00"), now=NOW)
    url = reverse("trip_cancel", args=[booking.reference])
    assert "vous serez remboursé de 280,00\u00a0€" in traveller_client.get(url).content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    response = traveller_client.post(url)
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by) == ("cancelled", "traveller")


def test_offer_page_link_with_dates_only_shows_the_price_at_once(traveller_client, unit, session):
    response = traveller_client.get(stay_url(unit), {"arrival": "2027-06-07", "departure": "2027-06-10"})
    html = unescape(response.content.decode())
    assert response.status_code == 200 and "3 nuits × 120,00\u00a0€" in html and "obligatoire" not in html
    session_page = traveller_client.get(reverse("booking_start_session", args=[session.pk])).content.decode()
    assert "1 adulte × 45,00\u00a0€" in session_page


def test_a_confirmed_trip_says_host_address_times_and_adds_to_a_calendar(traveller_client, traveller, owner, unit,
                                                                           client):
    from icalendar import Calendar

    from .dashboard_factories import make_booking

    owner.first_name, owner.last_name, owner.phone = "Hélène", "Kervoas", "+33 6 12 34 56 78"
    owner.save()
    lodging = unit.lodging
    lodging.checkin_time, lodging.checkout_time = "16:00", "11:00"
    lodging.save()
    booking = make_booking(traveller=traveller, unit=unit, arrival="2027-06-07", departure="2027-06-10")
    page = traveller_client.get(reverse("trip_detail", args=[booking.reference])).content.decode()
    assert "Hélène Kervoas" in page and "+33 6 12 34 56 78" in page and lodging.domain.commune in page
    assert "à partir de 16:00" in page and "avant 11:00" in page
    assert reverse("lodging_detail", args=[lodging.slug]) in page

    ics = traveller_client.get(reverse("trip_calendar", args=[booking.reference]))
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    [event] = Calendar.from_ical(ics.content).walk("VEVENT")
    assert (event["DTSTART"].dt, event["DTEND"].dt) == (date(2027, 6, 7), date(2027, 6, 10))
    assert lodging.domain.name in str(event["LOCATION"])

    unpaid = make_booking(traveller=traveller, unit=unit, arrival="2027-08-02", status="requested")
    assert "Votre séjour en pratique" not in traveller_client.get(
        reverse("trip_detail", args=[unpaid.reference])).content.decode()  # the address waits for payment
    assert traveller_client.get(reverse("trip_calendar", args=[unpaid.reference])).status_code == 404
    client.force_login(make_user("autre@example.fr"))
    assert client.get(reverse("trip_calendar", args=[booking.reference])).status_code == 404
