from django.utils import timezone

from bookings.services import expire_overdue
from core.jobruns import JobCommand


class Command(JobCommand):
    help = "Expire bookings whose answer, payment or checkout deadline passed; remind owners (idempotent)."

    def run_job(self, **options) -> int:
        return expire_overdue(now=timezone.now())

    def report(self, expired: int) -> str:
        return f"{expired} booking(s) expired"
