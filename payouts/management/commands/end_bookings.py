from django.utils import timezone

from core.jobruns import JobCommand
from payouts.ledger import end_bookings


class Command(JobCommand):
    help = "Post to the ledger the paid bookings whose service has ended (idempotent)."

    def run_job(self, **options) -> int:
        now = timezone.now()
        return end_bookings(before=now, now=now)

    def report(self, ended: int) -> str:
        return f"{ended} booking(s) posted as ended"
