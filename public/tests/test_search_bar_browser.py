"""The search bar in a real browser: type a few letters in « Où », choose a suggestion with
the keyboard, give dates and travellers, search, and find the results as cards with the
stay's total and as pins on the offline map (clustered where they crowd). At 1280 and 390 px."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from geo import places

from .factories import listed_unit, make_domain

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_type_choose_with_keyboard_search_and_see_pins(live_server, page, axe_check, owner, settings, width):
    settings.MAP_TILES_URL = ""
    places.index()  # loaded once per process (a few seconds on a busy machine), not inside the typing
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    montoire = make_domain(owner, name="Manoir de la Possonnière", commune="Couture-sur-Loir", departement="41",
                           latitude=Decimal("47.7531"), longitude=Decimal("0.8653"))
    listed_unit(owner, domain=montoire, title="La Chambre de Ronsard", price="100", cleaning_fee="30")
    # Two domains three kilometres apart near Vendôme: one numbered cluster.
    for n, lng in enumerate(("1.0650", "1.0700")):
        domain = make_domain(owner, name=f"Prieuré {n}", commune="Vendôme", departement="41",
                             latitude=Decimal("47.7930"), longitude=Decimal(lng))
        listed_unit(owner, domain=domain, title=f"Logis {n}", price="90")
    listed_unit(owner, domain=make_domain(owner, name="Château de Tours", departement="37"), title="Ailleurs")
    arrival = timezone.localdate() + timedelta(days=20)

    page.goto(live_server.url + "/")
    where = page.get_by_role("combobox", name="Où")
    where.press_sequentially("loir-et", delay=30)
    expect(page.get_by_role("option", name="Loir-et-Cher")).to_be_visible(timeout=15000)
    where.press("ArrowDown")
    expect(where).to_have_attribute("aria-activedescendant", "id_ou-listbox-0")
    where.press("Enter")
    expect(where).to_have_value("Loir-et-Cher (41)")
    expect(page.locator("input[name=departement]")).to_have_value("41")
    page.screenshot(path=f"/tmp/searchbar-home-{width}.png", full_page=False)
    page.get_by_label("Arrivée", exact=True).fill(arrival.isoformat())
    page.get_by_label("Départ", exact=True).fill((arrival + timedelta(days=2)).isoformat())
    page.get_by_label("Voyageurs").fill("2")
    page.get_by_role("button", name="Rechercher").first.click()

    expect(page.get_by_role("heading", name="3 hébergements disponibles")).to_be_visible()
    expect(page.get_by_role("combobox", name="Où")).to_have_value("Loir-et-Cher (41)")
    card = page.locator(".result-card", has_text="La Chambre de Ronsard")
    expect(card).to_contain_text("230 € pour 2 nuits")  # 2 × 100 + 30 of cleaning
    pins = page.locator("svg.static-map .map-pin")
    expect(pins).to_have_count(2)
    expect(page.locator("svg.static-map .map-cluster text")).to_have_text("2")
    expect(page.locator(".search-filters")).not_to_have_attribute("open", "")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if width < 400:  # on a phone the first result is on the first screen
        assert page.locator(".result-card").first.bounding_box()["y"] < 844
    page.screenshot(path=f"/tmp/searchbar-results-{width}.png", full_page=True)
    axe_check(page, context=f"search results at {width} px")

    page.get_by_text("Filtres", exact=True).click()
    expect(page.get_by_label("Prix maximum (€)")).to_be_visible()

    page.goto(f"{live_server.url}/domaines/{montoire.slug}/")
    expect(page.locator("#domain-map-title")).to_have_text("Manoir de la Possonnière")
    expect(page.locator(".domain-location svg.static-map .map-pin")).to_have_count(1)
    if width > 400:
        page.locator(".domain-location").screenshot(path="/tmp/searchbar-domain-map.png")
