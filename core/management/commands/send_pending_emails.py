from django.utils import timezone

from core.jobruns import JobCommand
from core.mail import send_pending_emails


class Command(JobCommand):
    help = "Retry the emails the mail server did not take (idempotent)."

    def run_job(self, **options) -> int:
        return send_pending_emails(now=timezone.now())

    def report(self, sent: int) -> str:
        return f"{sent} email(s) sent"
