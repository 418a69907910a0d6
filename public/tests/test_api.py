from datetime import date

import pytest
from django.urls import reverse

from bookings.models import BookingStatus

from .factories import block, listed_unit, stay, suspend

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
D = date.fromisoformat


def availability(client, unit, start="2027-05-01", end="2027-06-01"):
    return client.get(reverse("api_unit_availability", args=[unit.pk]), {"start": start, "end": end})


def test_availability_merges_bookings_blocks_and_suspensions(client, owner, traveller):
    unit = listed_unit(owner)
    stay(unit, traveller, D("2027-05-03"), D("2027-05-05"))
    block(unit, D("2027-05-05"), D("2027-05-07"))  # touches the stay: one range
    stay(unit, traveller, D("2027-05-10"), D("2027-05-12"), status=BookingStatus.REFUSED)  # frees its nights
    suspend(unit, D("2027-05-20"), D("2027-06-10"))  # clipped to the window
    response = availability(client, unit)
    assert response.status_code == 200
    assert response.json() == {"unit": unit.pk, "unavailable": [["2027-05-03", "2027-05-07"],
                                                                 ["2027-05-20", "2027-06-01"]]}


def test_availability_of_a_free_unit_is_empty(client, owner):
    unit = listed_unit(owner)
    assert availability(client, unit).json() == {"unit": unit.pk, "unavailable": []}


@pytest.mark.parametrize("params", [
    {"start": "2027-05-01"},
    {"start": "hier", "end": "2027-06-01"},
    {"start": "2027-02-30", "end": "2027-06-01"},
    {"start": "2027-06-01", "end": "2027-05-01"},
    {"start": "2027-06-01", "end": "2027-06-01"},
    {"start": "2027-01-01", "end": "2028-02-06"},  # 401 days
])
def test_availability_rejects_bad_or_huge_windows(client, owner, params):
    unit = listed_unit(owner)
    response = client.get(reverse("api_unit_availability", args=[unit.pk]), params)
    assert response.status_code == 400
    assert response.json()["error"]


def test_availability_accepts_a_one_year_window(client, owner):
    unit = listed_unit(owner)
    assert availability(client, unit, "2027-05-01", "2028-05-01").status_code == 200


@pytest.mark.parametrize("what,status", [("domain", "draft"), ("domain", "rejected"), ("lodging", "submitted"),
                                         ("lodging", "rejected")])
def test_availability_of_an_unpublished_offer_is_404(client, owner, what, status):
    unit = listed_unit(owner)
    target = unit.lodging.domain if what == "domain" else unit.lodging
    target.status = status
    target.save()
    assert availability(client, unit).status_code == 404
    assert client.get(reverse("api_unit_quote", args=[unit.pk]),
                      {"arrival": "2027-05-03", "departure": "2027-05-05"}).status_code == 404


@pytest.mark.parametrize("unit_id", [999999, 10**20])  # beyond the id column's integers too
def test_unknown_unit_is_404(client, db, unit_id):
    assert client.get(reverse("api_unit_availability", args=[unit_id]),
                      {"start": "2027-05-01", "end": "2027-06-01"}).status_code == 404


def test_quote_is_nights_times_price_plus_cleaning(client, owner):
    unit = listed_unit(owner, price="120", cleaning_fee="45")
    response = client.get(reverse("api_unit_quote", args=[unit.pk]), {"arrival": "2027-05-03",
                                                                      "departure": "2027-05-06"})
    body = response.json()
    assert response.status_code == 200
    assert body["nights"] == 3
    assert [line["amount"] for line in body["lines"]] == ["360.00", "45.00"]
    assert body["lines"][0]["label"] == "3 nuits × 120,00\u00a0€"
    assert body["total"] == "405.00" and body["bookable"] is True


def test_quote_says_when_the_dates_are_taken_or_too_short(client, owner, traveller):
    unit = listed_unit(owner, min_nights=2)
    stay(unit, traveller, D("2027-05-10"), D("2027-05-12"))
    url = reverse("api_unit_quote", args=[unit.pk])
    taken = client.get(url, {"arrival": "2027-05-09", "departure": "2027-05-11"})
    assert taken.status_code == 409
    assert taken.json()["bookable"] is False and taken.json()["problem"] == "Ces dates ne sont plus disponibles."
    short = client.get(url, {"arrival": "2027-05-20", "departure": "2027-05-21"})
    assert short.status_code == 422
    assert short.json()["bookable"] is False and short.json()["problem"] == "Le séjour minimum est de 2 nuits."
    assert short.json()["total"] == "160.00"  # the price still shows beside the reason
    assert client.get(url, {"arrival": "2027-05-12", "departure": "2027-05-14"}).json()["bookable"] is True
    assert client.get(url, {"arrival": "mardi", "departure": "2027-05-14"}).status_code == 400
