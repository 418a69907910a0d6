"""The search bar's « Où », the result cards' total and the offline map (no browser)."""
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from geo import projection
from geo.maps import static_map

from .factories import listed_unit, make_domain

pytestmark = pytest.mark.django_db


def search(client, **params):
    return client.get(reverse("search"), params)


@pytest.mark.parametrize(("typed", "finds_41", "finds_37"), [
    ("Loir-et-Cher", True, False), ("loir et cher", True, False), ("Centre-Val de Loire", True, True),
    ("centre val de loire", True, True), ("Amboise", False, True), ("AMBOISE", False, True)])
def test_a_place_typed_without_choosing_is_understood(client, owner, typed, finds_41, finds_37):
    listed_unit(owner, domain=make_domain(owner, departement="41", commune="Blois"), title="Au bord du Loir")
    listed_unit(owner, domain=make_domain(owner, departement="37", commune="Amboise"), title="Au bord de la Loire")
    html = search(client, ou=typed).content.decode()
    assert ("Au bord du Loir" in html, "Au bord de la Loire" in html) == (finds_41, finds_37)
    assert f'value="{typed}"' in html  # the bar keeps what was typed


def test_a_chosen_suggestion_wins_over_the_text(client, owner):
    listed_unit(owner, domain=make_domain(owner, departement="41", commune="Blois"), title="Au bord du Loir")
    html = search(client, ou="Loir-et-Cher (41)", departement="41").content.decode()
    assert "Au bord du Loir" in html and 'value="Loir-et-Cher (41)"' in html


def test_an_old_link_shows_its_place_in_the_bar(client, owner):
    assert 'value="Loir-et-Cher (41)"' in search(client, departement="41").content.decode()
    assert 'value="Bretagne"' in search(client, region="bretagne").content.decode()


def test_too_long_place_is_a_friendly_400(client):
    response = search(client, ou="x" * 121)
    assert response.status_code == 400 and "Où" in response.content.decode()


def test_cards_show_the_total_for_the_searched_dates(client, owner):
    listed_unit(owner, price="120", cleaning_fee="45", title="La Tour du Guet")
    arrival = timezone.localdate() + timedelta(days=30)
    html = search(client, arrival=arrival, departure=arrival + timedelta(days=3), guests=2).content.decode()
    assert "405\u00a0€ pour 3 nuits" in html.replace("\u202f", "\u00a0")  # 3 × 120 + 45
    assert "pour 3 nuits" not in search(client).content.decode()


def test_filters_are_behind_a_toggle_that_counts_them(client, owner):
    html = search(client, price_max="200", instant="on").content.decode()
    assert re.search(r'<details class="search-filters">\s*<summary>Filtres <span class="badge">2</span>', html)
    assert "<details class=\"search-filters\" open>" in search(client, price_min="300", price_max="100").content.decode()


def test_map_pins_are_projected_clustered_and_zoomed():
    near = [{"title": f"Logis {n}", "url": f"/h/{n}/", "lat": 47.7930, "lng": 1.065 + n * 0.005} for n in range(3)]
    far = {"title": "Brest", "url": "/h/brest/", "lat": 48.3904, "lng": -4.4861}
    overseas = {"title": "Basse-Terre", "url": "/h/bt/", "lat": 16.0, "lng": -61.7}
    drawn = static_map([*near, far, overseas], map_id="m")
    counts = sorted(pin["count"] for pin in drawn["pins"])
    assert counts == [1, 3] and [p["title"] for p in drawn["elsewhere"]] == ["Basse-Terre"]
    x0, y0, width, _height = (float(v) for v in drawn["viewbox"].split())
    brest_x, _ = projection.project(48.3904, -4.4861)
    assert x0 < brest_x < x0 + width  # the view holds every pin
    alone = static_map(near[:1], map_id="m")
    assert float(alone["viewbox"].split()[2]) < 100  # one pin: zoomed on its surroundings, not all France
    assert [pin["count"] for pin in alone["pins"]] == [1]


def test_domain_page_shows_its_pin(client, owner):
    domain = make_domain(owner, latitude=Decimal("47.4130"), longitude=Decimal("0.9826"), departement="37")
    html = client.get(reverse("domain_detail", args=[domain.slug])).content.decode()
    assert 'class="map-pin"' in html and "/carte/departements.svg?focus=37" in html
    domain.latitude = domain.longitude = None
    domain.save()
    assert "map-pin" not in client.get(reverse("domain_detail", args=[domain.slug])).content.decode()
