from celery import shared_task
from django.utils import timezone

from . import refunds, services


@shared_task
def retry_refunds() -> int:
    return refunds.retry_refunds(now=timezone.now())


@shared_task
def cancel_abandoned_payments() -> int:
    return services.cancel_abandoned_intents()
