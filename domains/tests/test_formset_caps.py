"""A posted formset count is the browser's word: the wizard renders at most what the offer
allows (rooms of a lodging, periods and start times of an experience), never 1,000+ rows."""
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from domains.models import OfferStatus
from experiences.forms import MAX_PERIODS, MAX_SLOTS
from experiences.models import Experience
from lodgings.forms import MAX_ROOMS
from lodgings.models import Lodging

pytestmark = pytest.mark.django_db
HUGE = "100000"


@pytest.fixture
def rooms(domain) -> Lodging:
    return Lodging.objects.create(domain=domain, kind="chambres_hotes", title="Chambres", slug="chambres",
                                  status=OfferStatus.DRAFT, wizard_step=9)


@pytest.fixture
def draft_experience(domain) -> Experience:
    return Experience.objects.create(domain=domain, title="Visite", slug="visite", category="workshop", capacity=5,
                                     price_per_person=Decimal("10"), status=OfferStatus.DRAFT, wizard_step=9)


def rows(response, prefix: str) -> int:
    return len(set(re.findall(rf'name="{prefix}-(\d+)-', response.content.decode())))


@pytest.mark.parametrize("button", [{"add_row": "1"}, {}])
def test_a_huge_room_count_renders_at_most_the_rooms_a_lodging_may_have(owner_client, rooms, button):
    response = owner_client.post(reverse("lodging_wizard", args=[rooms.pk, "chambres"]),
                                 {"units-TOTAL_FORMS": HUGE, "units-INITIAL_FORMS": "0", **button})
    assert response.status_code in (200, 400)
    assert 0 < rows(response, "units") <= MAX_ROOMS


@pytest.mark.parametrize("button", [{"add_row": "1"}, {}])
def test_a_huge_period_count_renders_at_most_the_periods_an_experience_may_have(owner_client, draft_experience,
                                                                                 button):
    response = owner_client.post(reverse("experience_wizard", args=[draft_experience.pk, "periode"]),
                                 {"duration_minutes": "60", "periods-TOTAL_FORMS": HUGE, "periods-INITIAL_FORMS": "0",
                                  **button})
    assert response.status_code in (200, 400)
    assert 0 < rows(response, "periods") <= MAX_PERIODS


def test_a_huge_slot_index_renders_at_most_max_slots(owner_client, draft_experience):
    response = owner_client.post(reverse("experience_wizard", args=[draft_experience.pk, "periode"]),
                                 {"duration_minutes": "60", "periods-TOTAL_FORMS": "1", "periods-INITIAL_FORMS": "0",
                                  "periods-0-slot_999999": "10:00", "add_slot": "periods-0"})
    assert response.status_code in (200, 400)
    slots = re.findall(r'name="periods-0-slot_(\d+)"', response.content.decode())
    assert 0 < len(slots) <= MAX_SLOTS
