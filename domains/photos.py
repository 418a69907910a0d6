"""Photos of every offer: added (checked now, resized by a worker), reordered and deleted.

The request only checks the upload (core.images.check_uploaded_image, cheap) and stores it as
it came; `make_photo_variants` (domains/tasks.py, queued on commit) decodes it once and writes
every size of PHOTO_SIZES. Until then the photo is not `is_ready` and pages show a
placeholder, never the stored original (it may still carry EXIF, a GPS position)."""
import logging
import uuid

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction

from core.images import check_uploaded_image, encode_jpeg, open_checked_image

from .models import PHOTO_SIZES, ModeratedOffer, OfferPhoto
from .signals import photo_changed

logger = logging.getLogger(__name__)
_LARGEST = max(PHOTO_SIZES.values())
# Enough to show a place room by room; the page's mosaic shows the first five, the gallery all.
MAX_PHOTOS = 30


def add_photo(*, offer: ModeratedOffer, upload: UploadedFile, caption: str, caption_en: str = "") -> OfferPhoto:
    """Check the upload like the profile photo, store it, and queue its sizes on commit."""
    check_uploaded_image(upload)
    photos = offer.photos
    position = (photos.aggregate(models.Max("position"))["position__max"] or 0) + 1
    photo = photos.model(**{photos.field.name: offer}, caption=caption, caption_en=caption_en,
                         position=position)
    # An unguessable name: the original is never linked, and is deleted once resized.
    photo.full.save(f"pending-{uuid.uuid4().hex}", upload, save=False)
    photo.save()
    label = photo._meta.label_lower
    transaction.on_commit(lambda: _queue_variants(label, photo.pk))
    return photo


def _queue_variants(label: str, photo_id: int) -> None:
    from .tasks import make_photo_variants  # tasks import this module

    make_photo_variants.delay(label, photo_id)


def make_variants(*, photo: OfferPhoto) -> None:
    """Decode the stored original once and write every size; a photo already done is left
    alone (a task may run twice), one whose data turns out broken is deleted."""
    if photo.is_ready:
        return
    source = photo.full
    try:
        with source.open("rb") as original:
            image = open_checked_image(original, max_side=_LARGEST)
    except (ValidationError, FileNotFoundError) as error:
        logger.warning("Photo %s dropped, its upload cannot be decoded: %s", photo.pk, error)
        delete_photo(photo=photo)
        return
    stem = f"{photo._meta.model_name}-{photo.pk}"
    source_name = source.name
    for size_name, max_side in sorted(PHOTO_SIZES.items(), key=lambda item: -item[1]):
        getattr(photo, size_name).save(f"{stem}-{size_name}.jpg", encode_jpeg(image, max_side=max_side),
                                       save=False)
    written = type(photo).objects.filter(pk=photo.pk).update(**{name: getattr(photo, name).name
                                                                 for name in PHOTO_SIZES})
    storage = source.storage
    if not written:  # deleted by the owner meanwhile
        for name in PHOTO_SIZES:
            getattr(photo, name).delete(save=False)
    storage.delete(source_name)
    if written:  # the pages showing its placeholder show it now (an UPDATE: no post_save)
        photo_changed(photo)


def move_photo(*, photo: OfferPhoto, up: bool) -> None:
    """Swap the photo with its neighbour, then renumber 1..n so positions stay tidy."""
    siblings = _siblings(photo)
    index = next(i for i, p in enumerate(siblings) if p.pk == photo.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            type(photo).objects.filter(pk=sibling.pk).update(position=position)
    photo_changed(photo)


def _offer_field(photo: OfferPhoto) -> str:
    """The photo's one foreign key: to its domain, lodging or experience."""
    return next(f.name for f in photo._meta.fields if isinstance(f, models.ForeignKey))


def set_cover(*, photo: OfferPhoto) -> None:
    """The cover is the first photo (pages, cards and og:image show it): move it to the front."""
    siblings = _siblings(photo)
    reorder_photos(photos=siblings, ids=[photo.pk] + [p.pk for p in siblings if p.pk != photo.pk])


def reorder_photos(*, photos: list[OfferPhoto], ids: list[int]) -> bool:
    """Number an offer's photos 1..n in the order of `ids` (the dashboard's drag and drop),
    which must name each of them once; False (nothing changed) otherwise: the page was stale."""
    by_id = {photo.pk: photo for photo in photos}
    if sorted(ids) != sorted(by_id):
        return False
    with transaction.atomic():
        for position, pk in enumerate(ids, start=1):
            if by_id[pk].position != position:
                type(by_id[pk]).objects.filter(pk=pk).update(position=position)
    if photos:
        photo_changed(photos[0])
    return True


def _siblings(photo: OfferPhoto) -> list[OfferPhoto]:
    offer_field = _offer_field(photo)
    return list(type(photo).objects.filter(**{offer_field: getattr(photo, offer_field)}))


def delete_photo(*, photo: OfferPhoto) -> None:
    files = [getattr(photo, name) for name in PHOTO_SIZES]
    photo.delete()
    for stored in files:
        if stored:
            stored.delete(save=False)
