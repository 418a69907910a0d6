"""A traveller books a stay in a real browser: login on the way, price shown, request
sent, Mes voyages, cancellation with the refund shown first. axe-core on each page."""
import pytest
from playwright.sync_api import expect

from bookings.models import Booking, BookingStatus
from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_traveller_requests_a_stay_then_cancels_it(live_server, page, axe_check, traveller, unit):
    page.goto(f"{live_server.url}/reserver/sejour/{unit.pk}/?arrival=2027-06-07&departure=2027-06-10&adults=2"
              "&children=0")
    page.get_by_label("Courriel").fill(traveller.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("heading", name="Détail du prix")).to_be_visible()
    expect(page.get_by_text("3 nuits × 120,00 €")).to_be_visible()
    axe_check(page, context="booking form")
    page.get_by_label("Message au propriétaire").fill("Nous fêtons nos noces d'or.")
    page.get_by_label("Votre téléphone").fill("06 12 34 56 78")
    page.get_by_role("button", name="Envoyer ma demande").click()

    expect(page.get_by_text("Votre demande est envoyée")).to_be_visible()
    expect(page.get_by_text("En attente de réponse").first).to_be_visible()
    axe_check(page, context="trip detail")
    booking = Booking.objects.get()
    assert booking.message == "Nous fêtons nos noces d'or." and booking.total_price == 400

    page.get_by_role("link", name="Mes voyages").first.click()
    expect(page.get_by_role("link", name="Le Logis")).to_be_visible()
    axe_check(page, context="trips")
    page.get_by_role("link", name="Le Logis").click()
    page.get_by_role("link", name="Annuler la réservation").click()
    expect(page.get_by_text("Vous n'avez rien payé")).to_be_visible()
    axe_check(page, context="cancel")
    page.get_by_role("button", name="Confirmer l'annulation").click()
    expect(page.get_by_text("Votre réservation est annulée.")).to_be_visible()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
