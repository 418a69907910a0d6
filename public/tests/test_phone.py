"""At 390 px (a phone): the menu is behind a "Menu" button and no main page is wider than the
screen (26 pages scrolled sideways, the header wrapped to three lines)."""
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from bookings.tests.dashboard_factories import make_booking
from conftest import PASSWORD

from .factories import listed_unit, make_domain

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def page_width(page) -> int:
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 390:  # name the culprits in the failure (run with -s)
        print(page.evaluate("""[...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > 392).slice(0, 8)
            .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""))
    return width


def test_on_a_phone_the_menu_is_a_button_and_pages_fit_the_screen(live_server, page, axe_check, owner, traveller):
    page.set_viewport_size({"width": 390, "height": 844})
    domain = make_domain(owner, name="Manoir de Kervoas-sur-la-Très-Longue-Rivière-du-Nord")
    unit = listed_unit(owner, domain=domain, title="La Tour du Guet")
    booking = make_booking(traveller=traveller, unit=unit, arrival="2030-05-10")
    booking.message = "Bonjour" + "x" * 3000  # one unbroken word, as pasted
    booking.save(update_fields=["message"])

    page.goto(live_server.url + "/")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(page.get_by_role("link", name="Connexion")).to_be_hidden()
    menu.click()
    expect(page.get_by_role("link", name="Connexion")).to_be_visible()
    axe_check(page, context="home, phone menu open")

    public = [reverse("home"), reverse("search"), reverse("domain_detail", args=[domain.slug]),
              reverse("lodging_detail", args=[unit.lodging.slug])]
    for path in public:
        page.goto(live_server.url + path)
        assert page_width(page) <= 390, path

    page.goto(live_server.url + "/fr/comptes/login/")
    page.get_by_label("Courriel").fill(owner.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    for path in [reverse("dashboard"), reverse("dashboard_bookings"), reverse("dashboard_clients"),
                 reverse("dashboard_domains"), reverse("dashboard_booking", args=[booking.reference])]:
        page.goto(live_server.url + path)
        assert page_width(page) <= 390, path
    axe_check(page, context="owner's booking at 390 px")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()  # a desktop shows the menu itself
    expect(page.get_by_role("link", name="Tableau de bord")).to_be_visible()
