from celery import shared_task
from django.utils import timezone

from .sales import deliver_due


@shared_task
def send_due_vouchers() -> int:
    """Beat, hourly: vouchers whose delivery day has come are emailed (vouchers.sales.deliver_due)."""
    return deliver_due(now=timezone.now())
