"""Suspensions: the owner hides a lodging for some nights [start, end) without writing to us;
those nights cannot be booked, the end day can."""
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from bookings.availability import occupied_ranges, unit_is_free
from lodgings import services
from lodgings.models import Suspension

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


def suspend(owner_client, lodging, start, end, reason=""):
    return owner_client.post(reverse("lodging_suspensions", args=[lodging.pk]),
                             {"start": start.isoformat(), "end": end.isoformat(), "reason": reason})


def test_suspended_nights_cannot_be_booked_and_the_end_day_can(owner_client, unit, today):
    start, end = today + timedelta(days=10), today + timedelta(days=17)
    response = suspend(owner_client, unit.lodging, start, end, reason="Travaux de toiture")
    assert response.status_code == 302
    assert not unit_is_free(unit, start, start + timedelta(days=2))
    assert not unit_is_free(unit, end - timedelta(days=1), end + timedelta(days=2))  # last suspended night
    assert unit_is_free(unit, end, end + timedelta(days=3))  # "au (exclu)": the end day is bookable
    assert occupied_ranges(unit, today, today + timedelta(days=60)) == [(start, end)]


def test_the_page_lists_current_and_coming_suspensions_only(owner_client, unit, today):
    lodging = unit.lodging
    Suspension.objects.create(lodging=lodging, start=today - timedelta(days=20), end=today - timedelta(days=10),
                              reason="Hiver dernier")
    Suspension.objects.create(lodging=lodging, start=today - timedelta(days=2), end=today + timedelta(days=3),
                              reason="Dégât des eaux")
    page = owner_client.get(reverse("lodging_suspensions", args=[lodging.pk])).content.decode()
    assert "Dégât des eaux" in page and "Hiver dernier" not in page


def test_an_empty_list_says_so(owner_client, unit):
    page = owner_client.get(reverse("lodging_suspensions", args=[unit.lodging.pk])).content.decode()
    assert "Aucune suspension en cours ou à venir." in page


@pytest.mark.parametrize(("start_in", "end_in", "message"), [
    (9, 2, "La date de fin doit être après la date de début."),
    (5, 5, "La date de fin doit être après la date de début."),
    (-2, 3, "Une suspension ne peut pas commencer dans le passé."),
])
def test_bad_dates_are_refused_next_to_the_field(owner_client, unit, today, start_in, end_in, message):
    response = suspend(owner_client, unit.lodging, today + timedelta(days=start_in), today + timedelta(days=end_in))
    assert response.status_code == 200
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert not Suspension.objects.exists()


def test_removing_a_suspension_frees_its_nights(owner_client, unit, today):
    start, end = today + timedelta(days=10), today + timedelta(days=17)
    suspension = services.add_suspension(lodging=unit.lodging, start=start, end=end, reason="", today=today)
    delete_url = reverse("lodging_suspension_delete", args=[unit.lodging.pk, suspension.pk])
    assert owner_client.get(delete_url).status_code == 405  # a link cannot delete it
    response = owner_client.post(delete_url)
    assert response.status_code == 302 and response.url == reverse("lodging_suspensions", args=[unit.lodging.pk])
    assert not Suspension.objects.exists() and unit_is_free(unit, start, end)


def test_the_service_refuses_what_the_form_refuses(unit, today):
    with pytest.raises(ValidationError, match="passé"):
        services.add_suspension(lodging=unit.lodging, start=today - timedelta(days=1), end=today + timedelta(days=1),
                                reason="", today=today)
    assert not Suspension.objects.exists()


def test_a_suspension_over_a_booking_warns_that_the_booking_stays(owner_client, unit, traveller, today):
    from bookings.tests.dashboard_factories import make_booking

    booking = make_booking(traveller=traveller, unit=unit, arrival=today + timedelta(days=12))
    response = suspend(owner_client, unit.lodging, today + timedelta(days=10), today + timedelta(days=17))
    page = owner_client.get(response["Location"]).content.decode()
    assert "restent valables" in page and booking.reference in page
    quiet = suspend(owner_client, unit.lodging, today + timedelta(days=30), today + timedelta(days=31))
    assert "restent valables" not in owner_client.get(quiet["Location"]).content.decode()
