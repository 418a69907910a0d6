"""The stay rules have one home (bookings/rules.py): the booking form, the quote API of the
lodging page and the booking service refuse each broken rule with the same sentence, and
the search's query accepts exactly the stays those rules accept (the search page itself:
public/tests/test_search.py)."""
from datetime import date, timedelta
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from bookings import rules
from bookings.models import Booking
from bookings.services import BookingError, request_stay
from lodgings.models import Lodging, Unit
from lodgings.services import refresh_search_columns

from .conftest import NOW

pytestmark = pytest.mark.django_db
D = date.fromisoformat
TODAY = D("2027-05-03")  # NOW is Monday 3 May 2027 in Paris

# The unit of conftest: a gîte for 4 adults and 2 children, 2 to 14 nights, booked a day ahead.
# Each case: the lodging's settings changed, the stay asked, the sentence every door answers.
CASES = {
    "departure before arrival": ({}, ("2027-06-10", "2027-06-07", 2, 0),
                                 "La date de départ doit être après la date d'arrivée."),
    "past dates": ({}, ("2027-04-01", "2027-04-04", 2, 0), "Ces dates sont passées."),
    "advance notice": ({"advance_notice_days": 3}, ("2027-05-05", "2027-05-08", 2, 0),
                       "Cet hébergement se réserve au moins 3 jours avant l'arrivée."),
    "minimum nights": ({}, ("2027-06-07", "2027-06-08", 2, 0), "Le séjour minimum est de 2 nuits."),
    "maximum nights": ({}, ("2027-06-07", "2027-06-22", 2, 0), "Le séjour maximum est de 14 nuits."),
    "arrival day": ({"arrival_weekdays": "6"}, ("2027-06-07", "2027-06-12", 2, 0),  # a Monday
                    "Les arrivées ne sont pas possibles ce jour de la semaine."),
    "departure day": ({"departure_weekdays": "6"}, ("2027-06-05", "2027-06-09", 2, 0),  # a Wednesday
                      "Les départs ne sont pas possibles ce jour de la semaine."),
    "no adult": ({}, ("2027-06-07", "2027-06-10", 0, 2), "Il faut au moins un adulte."),
    "too many adults": ({}, ("2027-06-07", "2027-06-10", 5, 0),
                        "Trop de voyageurs : 4 adultes et 2 enfants au maximum."),
    "too many children": ({}, ("2027-06-07", "2027-06-10", 2, 3),
                          "Trop de voyageurs : 4 adultes et 2 enfants au maximum."),
}


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def listed_unit(unit):
    refresh_search_columns(lodging=unit.lodging)
    return Unit.objects.select_related("lodging__domain").get(pk=unit.pk)


def with_settings(unit: Unit, changes: dict) -> Unit:
    Lodging.objects.filter(pk=unit.lodging_id).update(**changes)
    return Unit.objects.select_related("lodging__domain").get(pk=unit.pk)


@pytest.mark.parametrize("case", CASES)
def test_the_booking_service_refuses_each_rule_in_its_words(case, listed_unit, traveller):
    changes, (arrival, departure, adults, children), message = CASES[case]
    unit = with_settings(listed_unit, changes)
    with pytest.raises(BookingError) as refused:
        request_stay(traveller=traveller, unit=unit, arrival=D(arrival), departure=D(departure), adults=adults,
                     children=children, now=NOW)
    assert str(refused.value.message) == message
    assert not Booking.objects.exists()


@pytest.mark.parametrize("case", CASES)
def test_the_booking_form_refuses_each_rule_in_the_same_words(case, listed_unit, traveller, client):
    changes, (arrival, departure, adults, children), message = CASES[case]
    unit = with_settings(listed_unit, changes)
    client.force_login(traveller)
    response = client.post(reverse("booking_start", args=[unit.pk]), {
        "arrival": arrival, "departure": departure, "adults": adults, "children": children, "message": ""})
    assert response.status_code == 400
    assert message in unescape(response.content.decode())
    assert not Booking.objects.exists()


@pytest.mark.parametrize("case", CASES)
def test_the_quote_api_refuses_each_rule_in_the_same_words(case, listed_unit, client):
    changes, (arrival, departure, adults, children), message = CASES[case]
    unit = with_settings(listed_unit, changes)
    response = client.get(reverse("api_unit_quote", args=[unit.pk]), {
        "arrival": arrival, "departure": departure, "adults": adults, "children": children})
    assert 400 <= response.status_code < 500
    assert response.json()["bookable"] is False and response.json()["problem"] == message


def test_the_quote_api_answers_in_english_too(listed_unit, client):
    response = client.get(reverse("api_unit_quote", args=[listed_unit.pk]).replace("/fr/", "/en/", 1),
                          {"arrival": "2027-06-07", "departure": "2027-06-08"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert response.json()["problem"] == "The minimum stay is 2 nights."


def test_a_stay_every_rule_accepts_is_bookable_everywhere(listed_unit, client):
    response = client.get(reverse("api_unit_quote", args=[listed_unit.pk]),
                          {"arrival": "2027-06-07", "departure": "2027-06-10", "adults": 4, "children": 2})
    assert response.status_code == 200 and response.json()["bookable"] is True
    assert rules.stay_problem(unit=listed_unit, arrival=D("2027-06-07"), departure=D("2027-06-10"), adults=4,
                              children=2, today=TODAY) is None


# Lodging settings × stays: the query the search runs accepts exactly what stay_problem accepts.
SETTINGS = [
    {"min_nights": 1, "max_nights": 30, "advance_notice_days": 0, "arrival_weekdays": "1234567",
     "departure_weekdays": "1234567"},
    {"min_nights": 2, "max_nights": 3, "advance_notice_days": 2, "arrival_weekdays": "1234567",
     "departure_weekdays": "1234567"},
    {"min_nights": 7, "max_nights": 7, "advance_notice_days": 1, "arrival_weekdays": "6", "departure_weekdays": "6"},
    {"min_nights": 1, "max_nights": 5, "advance_notice_days": 5, "arrival_weekdays": "15",
     "departure_weekdays": "37"},
]


def test_the_search_query_and_stay_problem_agree_on_every_date_rule(unit):
    units = [unit]
    for index in range(1, len(SETTINGS)):
        lodging = Lodging.objects.create(domain=unit.lodging.domain, kind="gite", title=f"Gîte {index}",
                                         slug=f"gite-{index}", status=unit.lodging.status)
        units.append(Unit.objects.create(lodging=lodging, name=f"Gîte {index}", nightly_price=unit.nightly_price))
    for candidate, changes in zip(units, SETTINGS, strict=True):
        Lodging.objects.filter(pk=candidate.lodging_id).update(**changes)
    units = list(Unit.objects.select_related("lodging").filter(pk__in=[u.pk for u in units]))
    checked = 0
    for start in range(-1, 14):
        for nights in range(0, 9):
            arrival = TODAY + timedelta(days=start)
            departure = arrival + timedelta(days=nights)
            found = set(Unit.objects.filter(rules.stay_dates_q(arrival=arrival, departure=departure, today=TODAY))
                        .values_list("pk", flat=True))
            accepted = {u.pk for u in units
                        if rules.dates_problem(lodging=u.lodging, arrival=arrival, departure=departure, today=TODAY)
                        is None}
            assert found == accepted, (arrival, departure)
            checked += len(accepted)
    assert checked > 50  # the grid holds accepted stays for every lodging, not only refusals


def test_the_search_party_size_is_what_some_split_of_the_party_fits(listed_unit):
    # 4 adults + 2 children: a party of 6 fits (as 4 + 2), a party of 7 does not.
    for guests in range(1, 9):
        found = Unit.objects.filter(rules.party_size_q(guests), pk=listed_unit.pk).exists()
        fits = any(rules.stay_problem(unit=listed_unit, arrival=D("2027-06-07"), departure=D("2027-06-10"),
                                      adults=adults, children=guests - adults, today=TODAY) is None
                   for adults in range(1, guests + 1))
        assert found == fits, guests
