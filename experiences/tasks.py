"""Celery tasks: thin wrappers over experiences.services."""
from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(name="experiences.tasks.generate_sessions")
def generate_sessions() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): keep published experiences' sessions in step with their periods."""
    return services.sessions_for_all_published(today=timezone.localdate())
