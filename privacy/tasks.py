from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(ignore_result=True)
def build_data_export(export_id: str) -> None:
    services.build_export(export_id=export_id, now=timezone.now())


@shared_task(ignore_result=True)
def purge_data_exports() -> None:
    services.purge_data_exports(now=timezone.now())
