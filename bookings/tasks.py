"""Celery tasks: thin wrappers over bookings.services."""
from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="bookings.tasks.expire_bookings")
def expire_bookings() -> int:
    """Every minute (CELERY_BEAT_SCHEDULE): expire overdue bookings, remind owners."""
    return services.expire_overdue(now=timezone.now())
