from django.core.management.base import BaseCommand
from django.utils import timezone

from core.mail import send_pending_emails


class Command(BaseCommand):
    help = "Retry the emails the mail server did not take (idempotent)."

    def handle(self, *args, **options) -> None:
        sent = send_pending_emails(now=timezone.now())
        self.stdout.write(f"{sent} email(s) sent")
