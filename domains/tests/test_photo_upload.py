"""The photo step takes several photos at once, keeps the good ones when one is refused,
refuses more than the offer has room for, and orders them by drag and drop (a "reorder"
post) or by picking a cover (the first photo)."""
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from domains import photos
from domains.models import DomainPhoto

from .factories import make_domain

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_media(settings, tmp_path):
    """Originals whose sizes are never made here stay "pending-…": keep them out of the shared
    media folder that test_photos.py inspects."""
    settings.MEDIA_ROOT = tmp_path


def jpeg(name: str, colour=(140, 90, 60)) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (300, 200), colour).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")


def names(domain) -> list[str]:
    return [photo.caption for photo in domain.photos.all()]


def url(domain) -> str:
    return reverse("domain_wizard", args=[domain.pk, "photos"])


def test_several_photos_are_added_at_once_in_the_order_chosen(owner_client, owner):
    domain = make_domain(owner)
    response = owner_client.post(url(domain), {"action": "upload", "caption": "ignored for several",
                                               "image": [jpeg("a.jpg"), jpeg("b.jpg"), jpeg("c.jpg")]}, follow=True)
    assert "3 photos ajoutées." in response.content.decode()
    added = list(domain.photos.all())
    assert [p.position for p in added] == [1, 2, 3] and names(domain) == ["", "", ""]
    owner_client.post(url(domain), {"action": "upload", "caption": "La façade", "image": jpeg("d.jpg")})
    assert names(domain)[-1] == "La façade"  # one photo keeps its caption


def test_a_refused_file_is_named_and_the_good_ones_beside_it_are_kept(owner_client, owner):
    domain = make_domain(owner)
    junk = SimpleUploadedFile("devis.pdf", b"%PDF-1.4 no photo", "application/pdf")
    response = owner_client.post(url(domain), {"action": "upload", "image": [jpeg("a.jpg"), junk]})
    page = response.content.decode()
    assert response.status_code == 200 and domain.photos.count() == 1
    assert "1 photo ajoutée." in page
    assert "«\u00a0devis.pdf\u00a0» n&#x27;est pas ajoutée" in page and "pas une image lisible" in page


def test_a_too_heavy_file_is_refused_with_its_weight(owner_client, owner, settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 1_048_576
    domain = make_domain(owner)
    heavy = SimpleUploadedFile("lourde.jpg", b"\xff\xd8" + b"0" * 1_300_000, "image/jpeg")
    page = owner_client.post(url(domain), {"action": "upload", "image": [heavy]}).content.decode()
    assert domain.photos.count() == 0 and "lourde.jpg" in page and "le maximum est 1 Mo" in page


def test_more_photos_than_the_offer_has_room_for_are_refused_together(owner_client, owner, monkeypatch):
    monkeypatch.setattr(photos, "MAX_PHOTOS", 3)
    domain = make_domain(owner)
    photos.add_photo(offer=domain, upload=jpeg("first.jpg"), caption="")
    page = owner_client.post(url(domain), {"action": "upload",
                                           "image": [jpeg("a.jpg"), jpeg("b.jpg"), jpeg("c.jpg")]}).content.decode()
    assert domain.photos.count() == 1
    assert "Vous avez choisi 3 photos\u00a0; cette offre a encore de la place pour 2 photos (3 au plus)." in page


def test_no_file_is_a_clear_error(owner_client, owner):
    domain = make_domain(owner)
    response = owner_client.post(url(domain), {"action": "upload"})
    assert response.status_code == 200 and "Ce champ est obligatoire" in response.content.decode()


def test_drag_and_drop_order_is_saved_and_a_stale_one_is_refused(owner_client, owner):
    domain = make_domain(owner)
    a, b, c = (photos.add_photo(offer=domain, upload=jpeg(f"{n}.jpg"), caption=n) for n in "abc")
    owner_client.post(url(domain), {"action": "reorder", "order": f"{c.pk},{a.pk},{b.pk}"})
    assert names(domain) == ["c", "a", "b"]
    response = owner_client.post(url(domain), {"action": "reorder", "order": f"{a.pk},{b.pk}"}, follow=True)
    assert names(domain) == ["c", "a", "b"]
    assert "Les photos ont changé entre-temps" in response.content.decode()
    other = make_domain(owner)
    stranger = photos.add_photo(offer=other, upload=jpeg("x.jpg"), caption="x")
    owner_client.post(url(domain), {"action": "reorder", "order": f"{stranger.pk},{a.pk},{b.pk}"})
    assert names(domain) == ["c", "a", "b"] and DomainPhoto.objects.get(pk=stranger.pk).position == 1


def test_the_cover_is_moved_first_and_shown_first_on_the_public_page(owner_client, client, owner):
    domain = make_domain(owner, status="published")
    a, b, c = (photos.add_photo(offer=domain, upload=jpeg(f"{n}.jpg"), caption=n) for n in "abc")
    response = owner_client.post(url(domain), {"action": "cover", "photo": c.pk}, follow=True)
    assert names(domain) == ["c", "a", "b"]
    assert "Photo de couverture choisie" in response.content.decode()
    page = response.content.decode()
    assert page.index("Couverture") < page.index('value="a"')
    public = client.get(reverse("domain_detail", args=[domain.slug])).content.decode()
    assert public.index('alt="c"') < public.index('alt="a"') < public.index('alt="b"')
