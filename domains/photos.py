"""Photos of every offer: added (checked and resized once, now), reordered and deleted."""
from django.core.files.uploadedfile import UploadedFile
from django.db import models

from core.images import open_checked_image, reencode

from .models import PHOTO_SIZES, ModeratedOffer, OfferPhoto


def add_photo(*, offer: ModeratedOffer, upload: UploadedFile, caption: str) -> OfferPhoto:
    """Check the upload like the profile photo and write every size once, now."""
    image = open_checked_image(upload)
    photos = offer.photos
    position = (photos.aggregate(models.Max("position"))["position__max"] or 0) + 1
    photo = photos.model(**{photos.field.name: offer}, caption=caption, position=position)
    stem = f"{offer._meta.model_name}-{offer.pk}"
    for size_name, max_side in PHOTO_SIZES.items():
        content = reencode(image, max_side=max_side)
        getattr(photo, size_name).save(f"{stem}-{size_name}.jpg", content, save=False)
    photo.save()
    return photo


def move_photo(*, photo: OfferPhoto, up: bool) -> None:
    """Swap the photo with its neighbour, then renumber 1..n so positions stay tidy."""
    offer_field = _offer_field(photo)
    siblings = list(type(photo).objects.filter(**{offer_field: getattr(photo, offer_field)}))
    index = next(i for i, p in enumerate(siblings) if p.pk == photo.pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            type(photo).objects.filter(pk=sibling.pk).update(position=position)


def _offer_field(photo: OfferPhoto) -> str:
    """The photo's one foreign key: to its domain, lodging or experience."""
    return next(f.name for f in photo._meta.fields if isinstance(f, models.ForeignKey))


def delete_photo(*, photo: OfferPhoto) -> None:
    files = [getattr(photo, name) for name in PHOTO_SIZES]
    photo.delete()
    for stored in files:
        if stored:
            stored.delete(save=False)
