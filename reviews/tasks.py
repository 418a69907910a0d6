"""Celery tasks: thin wrappers over reviews.services."""
from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="reviews.tasks.send_review_invitations")
def send_review_invitations() -> tuple[int, int]:
    """Hourly (CELERY_BEAT_SCHEDULE): invitations the day after a service ends, one reminder 7 days later."""
    return services.send_review_invitations(now=timezone.now())
