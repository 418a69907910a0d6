from celery import shared_task
from django.utils import timezone

from . import refunds


@shared_task
def retry_refunds() -> int:
    return refunds.retry_refunds(now=timezone.now())
