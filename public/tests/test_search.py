import html as html_lib
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from bookings.models import BookingStatus
from domains.models import DomainLabel, Label
from lodgings.models import Amenity
from lodgings.services import refresh_search_columns

from .factories import (
    block,
    listed_unit,
    make_domain,
    make_experience,
    make_session,
    stay,
    suspend,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
D = date.fromisoformat
REGION = "centre-val-de-loire"


def search(client, **params):
    params = {"region": REGION, "arrival": "2027-05-03", "departure": "2027-05-05", "guests": "2", **params}
    return client.get(reverse("search"), params)


def found(response, unit) -> bool:
    return f'href="{reverse("lodging_detail", args=[unit.lodging.slug])}' in response.content.decode()


def occupy_with_booking(unit, traveller, start, end):
    stay(unit, traveller, start, end)


def occupy_with_block(unit, traveller, start, end):
    block(unit, start, end)


def occupy_with_suspension(unit, traveller, start, end):
    suspend(unit, start, end)


@pytest.mark.parametrize("occupy", [occupy_with_booking, occupy_with_block, occupy_with_suspension])
def test_taken_unit_is_hidden_for_overlapping_dates_and_shown_for_adjacent_ones(client, owner, traveller, occupy):
    unit = listed_unit(owner)
    occupy(unit, traveller, D("2027-05-04"), D("2027-05-06"))

    assert not found(search(client, arrival="2027-05-03", departure="2027-05-05"), unit)  # night of the 4th
    assert not found(search(client, arrival="2027-05-05", departure="2027-05-07"), unit)  # night of the 5th
    assert found(search(client, arrival="2027-05-02", departure="2027-05-04"), unit)  # leaves the morning it starts
    assert found(search(client, arrival="2027-05-06", departure="2027-05-08"), unit)  # arrives the day it ends


def test_a_booking_that_freed_its_dates_does_not_hide_the_unit(client, owner, traveller):
    unit = listed_unit(owner)
    stay(unit, traveller, D("2027-05-03"), D("2027-05-05"), status=BookingStatus.EXPIRED)
    assert found(search(client), unit)


def test_unit_too_small_for_the_party_is_hidden(client, owner):
    unit = listed_unit(owner, adults=2)
    assert found(search(client, guests="2"), unit)
    assert not found(search(client, guests="3"), unit)


@pytest.mark.parametrize("what,status", [("domain", "draft"), ("domain", "rejected"), ("lodging", "submitted"),
                                         ("lodging", "rejected")])
def test_unpublished_or_rejected_offers_never_show(client, owner, what, status):
    unit = listed_unit(owner)
    target = unit.lodging.domain if what == "domain" else unit.lodging
    target.status = status
    target.save()  # even before the search columns are refreshed
    assert not found(search(client), unit)
    assert not found(search(client, arrival="", departure=""), unit)


def test_inactive_unit_is_hidden(client, owner):
    unit = listed_unit(owner)
    unit.is_active = False
    unit.save()

    refresh_search_columns(lodging=unit.lodging)
    assert not found(search(client), unit)


def test_stay_shorter_than_the_minimum_is_hidden(client, owner):
    unit = listed_unit(owner, min_nights=3)
    assert not found(search(client), unit)
    assert found(search(client, departure="2027-05-06"), unit)


def test_stay_inside_the_advance_notice_is_hidden(client, owner):
    unit = listed_unit(owner, advance_notice_days=40)  # 2027-05-03 is 32 days away
    assert not found(search(client), unit)
    assert found(search(client, arrival="2027-05-11", departure="2027-05-13"), unit)


def test_filters_narrow_the_results(client, owner):
    chateau = listed_unit(owner, price="200", booking_mode="instant")
    moulin = listed_unit(owner, price="90", domain=make_domain(owner, heritage_kind="moulin", departement="41",
                                                            commune="Blois", latitude=Decimal("47.59"),
                                                            longitude=Decimal("1.33")))
    label = Label.objects.create(name="Label des vieilles pierres", slug="vieilles-pierres")
    DomainLabel.objects.create(domain=chateau.lodging.domain, label=label, verified=True)
    DomainLabel.objects.create(domain=moulin.lodging.domain, label=label, verified=False)  # not verified yet
    wifi, _ = Amenity.objects.get_or_create(code="wifi", defaults={"name": "Wi-Fi"})
    moulin.lodging.amenities.add(wifi)

    def both(**params):
        response = search(client, **params)
        return found(response, chateau), found(response, moulin)

    assert both() == (True, True)
    assert both(heritage_kind="moulin") == (False, True)
    assert both(departement="41") == (False, True)
    assert both(commune="amboise") == (True, False)
    assert both(label="vieilles-pierres") == (True, False)
    assert both(instant="on") == (True, False)
    assert both(amenity="wifi") == (False, True)
    assert both(price_max="100") == (False, True)
    assert both(price_min="150") == (True, False)
    assert both(region="bretagne") == (False, False)
    # Blois is ~30 km from Amboise: a 10 km circle around Amboise keeps only the château.
    assert both(region="", lat="47.41", lng="0.98", radius="10") == (True, False)
    assert both(region="", lat="47.41", lng="0.98", radius="50") == (True, True)


def test_verified_monument_filter_needs_staff_verification(client, owner):
    verified = listed_unit(owner, domain=make_domain(owner, monument_protection="classe", monument_verified=True))
    claimed = listed_unit(owner, domain=make_domain(owner, monument_protection="classe", monument_verified=False))
    response = search(client, protection="any")
    assert found(response, verified) and not found(response, claimed)


def test_results_are_sorted_by_price(client, owner):
    dear, cheap = listed_unit(owner, price="300"), listed_unit(owner, price="80")
    html = search(client, sort="price").content.decode()
    assert html.index(cheap.lodging.slug) < html.index(dear.lodging.slug)


def test_experience_search_shows_sessions_with_enough_places_on_that_day(client, owner):
    domain = make_domain(owner)
    open_one = make_experience(domain, title="Atelier vitrail")
    full_one = make_experience(domain, title="Cours de cuisine")
    make_session(open_one, datetime(2027, 5, 8, 13, 0, tzinfo=UTC), capacity=8, taken=5)
    make_session(full_one, datetime(2027, 5, 8, 13, 0, tzinfo=UTC), capacity=8, taken=7)
    html = client.get(reverse("search"), {"kind": "experience", "day": "2027-05-08", "guests": "2"}).content.decode()
    assert "Atelier vitrail" in html and "Cours de cuisine" not in html
    html = client.get(reverse("search"), {"kind": "experience", "day": "2027-05-09", "guests": "2"}).content.decode()
    assert "Atelier vitrail" not in html


def test_inactive_session_and_unpublished_experience_are_hidden(client, owner):
    domain = make_domain(owner)
    paused = make_experience(domain, title="Visite aux chandelles")
    make_session(paused, datetime(2027, 5, 8, 18, 0, tzinfo=UTC), is_active=False)
    draft = make_experience(domain, title="Dégustation secrète", status="draft")
    make_session(draft, datetime(2027, 5, 8, 18, 0, tzinfo=UTC))
    html = client.get(reverse("search"), {"kind": "experience", "day": "2027-05-08"}).content.decode()
    assert "Visite aux chandelles" not in html and "Dégustation secrète" not in html


@pytest.mark.parametrize("params,message", [
    ({"arrival": "2027-13-45"}, "Saisissez une date valide"),
    ({"arrival": "2027-05-05", "departure": "2027-05-03"}, "La date de départ doit suivre la date d'arrivée"),
    ({"departure": ""}, "Indiquez une date d'arrivée et une date de départ"),
    ({"guests": "5000"}, "Au-delà de 30 voyageurs"),
    ({"guests": "-1"}, "Voyageurs"),
    ({"page": "99999999"}, "Cette page de résultats n'existe pas"),
    ({"page": "abc"}, "Cette page de résultats n'existe pas"),
    ({"region": "atlantide"}, "Région"),
    ({"price_min": "500", "price_max": "100"}, "Le prix maximum doit dépasser le prix minimum"),
    ({"arrival": "2020-01-01", "departure": "2020-01-03"}, "Ces dates sont passées."),
    ({"lat": "47.2"}, "Le point de recherche est incomplet"),
])
def test_bad_search_input_gets_a_friendly_message(client, params, message):
    response = search(client, **params)
    assert response.status_code == 400
    assert message in html_lib.unescape(response.content.decode())


def test_unknown_filter_is_reported_and_ignored(client, owner):
    unit = listed_unit(owner)
    response = search(client, colour="blue")
    assert response.status_code == 200
    assert "Filtre inconnu ignoré : colour" in response.content.decode()
    assert found(response, unit)


def test_page_past_the_last_one_is_a_friendly_empty_page(client, owner):
    listed_unit(owner)
    response = search(client, page="7")
    assert response.status_code == 200
    assert "Cette page de résultats n'existe pas" in html_lib.unescape(response.content.decode())


def test_pagination_walks_every_result_once(client, owner, settings):
    settings.SEARCH_PAGE_SIZE = 2
    units = [listed_unit(owner, price=str(100 + i)) for i in range(5)]
    seen = []
    for page in (1, 2, 3):
        html = search(client, page=str(page)).content.decode()
        seen += [u for u in units if found_slug(html, u)]
    assert seen == units
    assert "Page suivante" not in search(client, page="3").content.decode()


def found_slug(html, unit):
    return f'/fr/hebergements/{unit.lodging.slug}/' in html


@pytest.mark.parametrize("results", [3, 30])
def test_search_runs_a_fixed_number_of_queries(client, owner, traveller, django_assert_max_num_queries, results):
    label = Label.objects.create(name="Réseau d’essai", slug="reseau-essai")
    for i in range(results):
        unit = listed_unit(owner, price=str(100 + i))
        DomainLabel.objects.create(domain=unit.lodging.domain, label=label, verified=True)
        stay(unit, traveller, D("2027-06-01"), D("2027-06-03"))
    client.get(reverse("search"))  # warm the session / content types
    # Page ids + capped count, then the cards; on PostgreSQL the ids query also runs in its
    # own savepoint with a SET LOCAL (see search._walk_price_index).
    with django_assert_max_num_queries(5):
        response = search(client, label="reseau-essai")
    assert response.status_code == 200
    assert response.content.decode().count('class="result-card"') == min(results, 20)
