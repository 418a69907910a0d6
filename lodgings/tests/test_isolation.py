"""Another owner's lodging does not exist for you: every lodgings URL answers 404, for
reading and for writing, and nothing changes."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from domains.tests.factories import make_domain, make_lodging
from lodgings.models import Lodging, Suspension, Unit
from lodgings.views import lodging_wizard

pytestmark = pytest.mark.django_db


@pytest.fixture
def theirs(other_owner):
    """Armand's chambres d'hôtes (two rooms) with a coming suspension."""
    lodging = make_lodging(make_domain(other_owner))
    today = timezone.localdate()
    suspension = Suspension.objects.create(lodging=lodging, start=today + timedelta(days=3),
                                           end=today + timedelta(days=5))
    return lodging, suspension


def lodging_urls(lodging: Lodging, suspension: Suspension) -> list[str]:
    return [reverse("lodging_list", args=[lodging.domain_id]), reverse("lodging_add", args=[lodging.domain_id]),
            reverse("lodging_continue", args=[lodging.pk]), reverse("lodging_suspensions", args=[lodging.pk]),
            reverse("lodging_suspension_delete", args=[lodging.pk, suspension.pk]),
            *(lodging_wizard.step_url(lodging, step.slug) for step in lodging_wizard.steps)]


def test_another_owner_gets_404_on_every_lodgings_url(owner_client, theirs):
    lodging, suspension = theirs
    title = lodging.title
    hostile = {"kind": "gite", "title": "Pris", "description": "x", "start": "2030-01-01", "end": "2030-01-09",
               "action": "submit", "units-TOTAL_FORMS": "1", "units-INITIAL_FORMS": "0", "units-0-name": "Pris",
               "units-0-adults_capacity": "2", "units-0-children_capacity": "0", "units-0-nightly_price": "1"}
    for url in lodging_urls(lodging, suspension):
        assert owner_client.get(url).status_code == 404, url
        assert owner_client.post(url, hostile).status_code == 404, url
    assert Lodging.objects.filter(domain=lodging.domain).count() == 1
    assert list(Unit.objects.filter(lodging=lodging).values_list("name", flat=True)) == ["Chambre 1", "Chambre 2"]
    assert Suspension.objects.filter(pk=suspension.pk).exists() and Suspension.objects.count() == 1
    lodging.refresh_from_db()
    assert (lodging.title, lodging.status, lodging.wizard_step) == (title, "draft", "")


def test_a_suspension_is_removed_only_through_its_own_lodging(owner_client, owner, unit, theirs):
    _, their_suspension = theirs
    url = reverse("lodging_suspension_delete", args=[unit.lodging.pk, their_suspension.pk])
    assert owner_client.post(url).status_code == 404
    assert Suspension.objects.filter(pk=their_suspension.pk).exists()


def test_the_lodging_list_shows_only_the_domains_own_lodgings(owner_client, owner, unit, theirs):
    mine = make_lodging(make_domain(owner), title="Chambres du Prieuré")
    page = owner_client.get(reverse("lodging_list", args=[mine.domain_id])).content.decode()
    assert "Chambres du Prieuré" in page and unit.lodging.title not in page and theirs[0].title not in page


def test_travellers_are_sent_to_become_owner(client, traveller, unit):
    client.force_login(traveller)
    response = client.get(reverse("lodging_list", args=[unit.lodging.domain_id]))
    assert response.status_code == 302 and response.url == reverse("become_owner")
