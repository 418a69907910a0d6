"""Celery tasks: thin wrappers over operations.jobs."""
from celery import shared_task
from django.utils import timezone

from . import jobs


@shared_task(name="operations.tasks.check_jobs")
def check_jobs() -> int:
    """Every 15 minutes (CELERY_BEAT_SCHEDULE): tell staff about jobs that stopped succeeding."""
    return jobs.check_jobs(now=timezone.now())
