from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(ignore_result=True)
def run_export(job_id: str) -> None:
    services.run_export_job(job_id=job_id, now=timezone.now())


@shared_task(ignore_result=True)
def purge_exports() -> None:
    services.purge_old_exports(now=timezone.now())
