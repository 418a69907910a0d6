from django.utils import timezone

from core.jobruns import JobCommand
from vouchers.sales import deliver_due


class Command(JobCommand):
    help = "Email the gift vouchers whose delivery day has come (also a beat job)."

    def run_job(self, **options) -> int:
        return deliver_due(now=timezone.now())

    def report(self, sent: int) -> str:
        return f"{sent} voucher(s) sent"
