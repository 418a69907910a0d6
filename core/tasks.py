"""Celery tasks: thin wrappers over core.mail."""
from celery import shared_task
from django.utils import timezone

from . import mail


@shared_task(name="core.tasks.send_pending_emails")
def send_pending_emails() -> int:
    """Every minute (CELERY_BEAT_SCHEDULE): retry the emails the mail server did not take."""
    return mail.send_pending_emails(now=timezone.now())
