"""A traveller in a real browser: search a region for two nights, open a lodging, pick the
dates on its calendar, read the price breakdown, switch to English. axe-core checks the
home, search and lodging pages. No tile server: the map falls back to its static SVG."""
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .factories import listed_unit, make_domain, stay

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def first_of_next_month(today: date) -> date:
    return (today.replace(day=1) + timedelta(days=32)).replace(day=1)


def test_traveller_searches_opens_a_lodging_picks_dates_and_sees_the_price(live_server, page, axe_check, owner,
                                                                          traveller, settings):
    settings.MAP_TILES_URL = ""
    month = first_of_next_month(timezone.localdate())
    domain = make_domain(owner, name="Château de Montrésor", region="centre-val-de-loire")
    unit = listed_unit(owner, domain=domain, title="La Tour du Guet", price="120", cleaning_fee="45")
    stay(unit, traveller, month + timedelta(days=4), month + timedelta(days=6))  # nights of the 5th and 6th
    tiles_requested = []
    page.on("request", lambda r: tiles_requested.append(r.url) if not r.url.startswith(live_server.url) else None)

    page.goto(live_server.url + "/")
    axe_check(page, context="home")
    page.get_by_role("link", name="Trouver un séjour").click()
    page.get_by_role("combobox", name="Où").fill("Centre-Val")
    page.get_by_role("option", name="Centre-Val de Loire").click()
    page.get_by_label("Arrivée", exact=True).fill((month + timedelta(days=9)).isoformat())
    page.get_by_label("Départ", exact=True).fill((month + timedelta(days=11)).isoformat())
    page.get_by_label("Voyageurs").fill("2")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("heading", name="1 hébergement disponible")).to_be_visible()
    expect(page.locator("svg.static-map .map-pin")).to_have_count(1)
    axe_check(page, context="search results")

    page.get_by_role("link", name="La Tour du Guet", exact=True).click()
    expect(page.get_by_role("heading", name="La Tour du Guet", level=1)).to_be_visible()
    calendar = page.locator(".unit-calendar")
    # The dates carried from the search are already chosen and priced.
    breakdown = page.locator(f"#breakdown-{unit.pk}")
    expect(breakdown).to_contain_text("2 nuits × 120,00")
    axe_check(page, context="lodging")

    # Pick other dates on the calendar: the 5th is booked, the 8th → 11th is free.
    expect(calendar.locator(".calendar-title")).to_contain_text(str(month.year))  # opens on the searched month
    booked = calendar.locator(f'button[data-date="{(month + timedelta(days=4)).isoformat()}"]')
    expect(booked).to_have_class(re.compile("is-blocked"))
    calendar.locator(f'button[data-date="{(month + timedelta(days=7)).isoformat()}"]').click()
    expect(calendar.locator(".calendar-status")).to_have_text("Choisissez votre date de départ.")
    calendar.locator(f'button[data-date="{(month + timedelta(days=10)).isoformat()}"]').click()
    expect(breakdown).to_contain_text("3 nuits × 120,00")
    expect(breakdown).to_contain_text("Frais de ménage")
    expect(breakdown).to_contain_text("405,00")
    expect(breakdown.get_by_role("link", name="Réserver")).to_have_attribute(
        "href", re.compile(rf"/fr/reserver/sejour/{unit.pk}/\?arrival=.*&departure="))

    # A range across the booked nights is refused with an explanation.
    calendar.locator(f'button[data-date="{(month + timedelta(days=2)).isoformat()}"]').click()
    calendar.locator(f'button[data-date="{(month + timedelta(days=7)).isoformat()}"]').click()
    expect(calendar.locator(".calendar-status")).to_contain_text("indisponibles")
    axe_check(page, context="lodging with dates picked")

    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="Good to know")).to_be_visible()
    expect(breakdown).to_contain_text("2 nights × 120.00")  # the dates carried from the search
    calendar.locator(f'button[data-date="{(month + timedelta(days=14)).isoformat()}"]').click()
    expect(page.locator(".calendar-status")).to_have_text("Choose your departure date.")
    calendar.locator(f'button[data-date="{(month + timedelta(days=17)).isoformat()}"]').click()
    expect(breakdown).to_contain_text("3 nights × 120.00")
    expect(breakdown).to_contain_text("Cleaning fee")
    axe_check(page, context="lodging in English")
    assert tiles_requested == []


def test_traveller_searches_around_their_position(live_server, page, owner):
    near = listed_unit(owner, domain=make_domain(owner, name="Manoir voisin", latitude=Decimal("47.40"),
                                                 longitude=Decimal("0.99")), title="La Chambre du Lac")
    listed_unit(owner, domain=make_domain(owner, name="Château lointain", latitude=Decimal("43.60"),
                                          longitude=Decimal("1.44")), title="La Tour du Sud")
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 47.41, "longitude": 0.98})
    page.goto(live_server.url + "/fr/recherche/")
    page.get_by_role("button", name="Autour de moi").click()
    expect(page.get_by_role("heading", name="1 hébergement disponible")).to_be_visible()
    expect(page.get_by_role("link", name="La Chambre du Lac", exact=True)).to_be_visible()
    expect(page.get_by_label("Rayon autour du point (km)")).to_have_value("30")
    assert near.lodging.title == "La Chambre du Lac"
