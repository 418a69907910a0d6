"""Owners may write their offer's texts in English too: optional fields beside the French
ones, the same limits, and on a published offer the same moderation as the French."""
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from domains.models import Revision, RevisionStatus
from domains.moderation import OfferStatus, approve_revision, submit_revision
from domains.tests.factories import make_domain
from lodgings.models import Lodging, LodgingPhoto

pytestmark = pytest.mark.django_db


def step(lodging: Lodging, slug: str) -> str:
    return reverse("lodging_wizard", args=[lodging.pk, slug])


def test_the_description_step_offers_optional_english_fields(owner_client, owner):
    lodging = Lodging.objects.create(domain=make_domain(owner), kind="gite", title="Le Fournil", slug="le-fournil")
    html = owner_client.get(step(lodging, "description")).content.decode()
    for name in ("title_en", "description_en"):
        field = re.search(rf'<(input|textarea)[^>]*name="{name}"[^>]*>', html).group(0)
        assert 'lang="en"' in field and "required" not in field
    assert "Facultatif. Affiché sur les pages en anglais" in html
    response = owner_client.post(step(lodging, "description"), {"title": "Le Fournil", "description": "Un four."})
    assert response.status_code == 302  # French alone is enough
    owner_client.post(step(lodging, "description"), {"title": "Le Fournil", "description": "Un four.",
                                                     "title_en": "The Bakehouse", "description_en": "An oven."})
    lodging.refresh_from_db()
    assert (lodging.title_en, lodging.description_en) == ("The Bakehouse", "An oven.")


def test_an_english_text_has_the_french_ones_limit(owner_client, owner):
    lodging = Lodging.objects.create(domain=make_domain(owner), kind="gite", title="Le Fournil", slug="le-fournil")
    response = owner_client.post(step(lodging, "description"), {"title": "Le Fournil", "description": "",
                                                                "description_en": "x" * 5001})
    assert response.status_code == 200
    lodging.refresh_from_db()
    assert lodging.description_en == ""


def test_an_english_change_to_a_published_lodging_waits_for_staff(owner_client, unit, staff):
    lodging = unit.lodging
    response = owner_client.post(step(lodging, "description"), {
        "title": lodging.title, "description": lodging.description, "title_en": "The Prior's House",
        "description_en": "By the river."})
    assert response.status_code == 302
    lodging.refresh_from_db()
    assert lodging.title_en == "" and lodging.description_en == ""  # the live page is unchanged
    revision = Revision.objects.get(content_type=ContentType.objects.get_for_model(Lodging), object_id=lodging.pk,
                                    status=RevisionStatus.PENDING)
    assert revision.changes == {"title_en": "The Prior's House", "description_en": "By the river."}
    submit_revision(revision=revision, now=timezone.now())
    approve_revision(revision=revision, by=staff, now=timezone.now())
    lodging.refresh_from_db()
    assert lodging.title_en == "The Prior's House" and lodging.status == OfferStatus.PUBLISHED


def test_house_rules_in_english_are_on_the_options_step(owner_client, unit):
    html = owner_client.get(step(unit.lodging, "option")).content.decode()
    assert re.search(r'<textarea[^>]*name="house_rules_en"[^>]*lang="en"', html) or \
        re.search(r'<textarea[^>]*lang="en"[^>]*name="house_rules_en"', html)


def test_a_photo_gets_its_english_caption(owner_client, owner):
    lodging = Lodging.objects.create(domain=make_domain(owner), kind="gite", title="Le Fournil", slug="le-fournil")
    photo = LodgingPhoto(lodging=lodging, caption="Le four")
    photo.full.save("four.jpg", ContentFile(b"x"), save=True)
    owner_client.post(step(lodging, "photos"), {"action": "caption", "photo": photo.pk, "caption": "Le four à pain",
                                                "caption_en": "The bread oven"})
    photo.refresh_from_db()
    assert (photo.caption, photo.caption_en) == ("Le four à pain", "The bread oven")


def test_the_domain_and_experience_forms_have_their_english_texts(owner_client, owner):
    domain = make_domain(owner)
    html = owner_client.get(reverse("domain_wizard", args=[domain.pk, "infos"])).content.decode()
    assert 'name="history_en"' in html
    html = owner_client.get(reverse("experience_add", args=[domain.pk])).content.decode()
    assert 'name="title_en"' in html and 'name="description_en"' in html
