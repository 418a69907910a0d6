"""Celery tasks of offers: thin wrappers over domains.photos."""
from celery import shared_task
from django.apps import apps

from . import photos


@shared_task(ignore_result=True, soft_time_limit=60, time_limit=90)
def make_photo_variants(model_label: str, photo_id: int) -> None:
    """Queued on commit by photos.add_photo: write the sizes of one uploaded photo."""
    photo = apps.get_model(model_label).objects.filter(pk=photo_id).first()
    if photo is not None:
        photos.make_variants(photo=photo)
