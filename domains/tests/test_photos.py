"""Offer photos: the request checks and stores, a worker decodes once and writes every size."""
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from domains.models import PHOTO_SIZES, DomainPhoto, OfferStatus
from domains.photos import add_photo

from .factories import make_domain

pytestmark = pytest.mark.django_db


def jpeg(size=(3000, 2000), *, gps=False) -> bytes:
    image, buffer = Image.new("RGB", size, (140, 90, 60)), BytesIO()
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {2: (48.0, 51.0, 24.0), 1: "N"}  # GPSInfo: where the owner lives
        exif[0x0112] = 6  # Orientation: taken with the phone turned, shown upright
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def upload(data: bytes, name="facade.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, "image/jpeg")


def test_the_upload_request_stores_the_photo_and_queues_its_sizes_without_resizing(
        owner_client, owner, django_capture_on_commit_callbacks, monkeypatch):
    domain = make_domain(owner)
    resized = []
    for method in ("thumbnail", "resize", "reduce"):
        real = getattr(Image.Image, method)
        monkeypatch.setattr(Image.Image, method,
                            lambda self, *a, _real=real, _name=method, **k: (resized.append(_name), _real(self, *a, **k))[1])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = owner_client.post(reverse("domain_wizard", args=[domain.pk, "photos"]),
                                     {"action": "upload", "caption": "La façade", "image": upload(jpeg())})
    assert response.status_code == 302
    photo = domain.photos.get()
    assert resized == [] and not photo.is_ready and len(queued) == 1
    page = owner_client.get(reverse("domain_wizard", args=[domain.pk, "photos"])).content.decode()
    assert "Photo en préparation" in page and photo.full.url not in page  # the original is never shown

    queued[0]()  # the commit: the eager task runs here
    photo.refresh_from_db()
    assert photo.is_ready and resized
    assert {name: max(Image.open(getattr(photo, name).path).size) for name in PHOTO_SIZES} == PHOTO_SIZES


def test_sizes_are_upright_without_exif_and_the_original_is_deleted(owner, django_capture_on_commit_callbacks):
    domain = make_domain(owner)
    with django_capture_on_commit_callbacks(execute=True):
        photo = add_photo(offer=domain, upload=upload(jpeg((1800, 1200), gps=True)), caption="")
    original = photo.full.storage.path(photo.full.name)
    photo.refresh_from_db()
    for name in PHOTO_SIZES:
        stored = Image.open(getattr(photo, name).path)
        assert stored.format == "JPEG" and len(stored.getexif()) == 0
        assert stored.height > stored.width  # the orientation was applied, then dropped
    assert photo.full.path != original
    assert not any(path.name.startswith("pending-") for path in Path(photo.full.path).parent.iterdir())


def test_a_photo_the_worker_cannot_decode_is_dropped(owner, django_capture_on_commit_callbacks):
    domain = make_domain(owner)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        photo = add_photo(offer=domain, upload=upload(jpeg()), caption="")
    Path(photo.full.path).write_bytes(jpeg()[:400])  # checked in the request, broken on disk since
    queued[0]()
    assert not DomainPhoto.objects.filter(domain=domain).exists()
    assert not Path(photo.full.path).exists()


def test_public_pages_show_a_placeholder_until_the_sizes_exist(client, owner, django_capture_on_commit_callbacks):
    domain = make_domain(owner, status=OfferStatus.PUBLISHED)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        photo = add_photo(offer=domain, upload=upload(jpeg()), caption="")
    page = client.get(reverse("domain_detail", args=[domain.slug])).content.decode()
    assert "img/photo-pending.svg" in page and photo.full.url not in page
    queued[0]()
    photo.refresh_from_db()
    page = client.get(reverse("domain_detail", args=[domain.slug])).content.decode()
    assert photo.card.url in page and photo.social.url in page and "photo-pending" not in page
