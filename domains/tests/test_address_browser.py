"""The owner enters the domain's address once, in a browser: a few letters of the commune,
the suggestion chosen with the keyboard fills département, région, INSEE code and postal
code; the pin starts in the département and moves with the arrow keys; saved as shown."""
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from geo import places

from .factories import make_domain
from .test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_picks_the_commune_and_places_the_pin(live_server, page, axe_check, owner):
    places.index()  # loaded once per process, not while typing
    domain = make_domain(owner, commune="", departement="", region="")
    log_in(page, live_server, owner)
    page.goto(live_server.url + reverse("domain_wizard", args=[domain.pk, "adresse"]))
    commune = page.get_by_role("combobox", name="Commune")
    commune.press_sequentially("montoire", delay=30)
    expect(page.get_by_role("option", name="Montoire-sur-le-Loir")).to_be_visible(timeout=15000)
    commune.press("ArrowDown")
    commune.press("Enter")
    expect(commune).to_have_value("Montoire-sur-le-Loir")
    expect(page.get_by_label("Département")).to_have_value("41")
    expect(page.get_by_label("Région")).to_have_value("centre-val-de-loire")
    expect(page.get_by_label("Code INSEE")).to_have_value("41149")
    expect(page.get_by_label("Code postal")).to_have_value("41800")
    latitude = page.get_by_label("Latitude")
    start = float(latitude.input_value())
    assert 47.0 < start < 48.2  # the centre of Loir-et-Cher
    pin = page.locator(".map-pin-drag")
    pin.focus()
    longitude_before = float(page.get_by_label("Longitude").input_value())
    pin.press("ArrowRight")
    pin.press("Shift+ArrowUp")
    assert float(page.get_by_label("Longitude").input_value()) > longitude_before
    assert float(latitude.input_value()) > start
    page.locator(".address-map").screenshot(path="/tmp/searchbar-address-map.png")
    axe_check(page, context="address step with the pin")
    page.get_by_label("Adresse").first.fill("2 rue du Château")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    expect(page.get_by_role("heading", name="Labels et protections", level=2)).to_be_visible()
    domain.refresh_from_db()
    assert (domain.insee_code, domain.postal_code, domain.departement) == ("41149", "41800", "41")
    assert 47.0 < float(domain.latitude) < 48.5 and 0.5 < float(domain.longitude) < 2.5
