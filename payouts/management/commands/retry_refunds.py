from django.utils import timezone

from core.jobruns import JobCommand
from payouts.refunds import retry_refunds


class Command(JobCommand):
    help = "Ask Stripe again for the refunds it could not take earlier (also a beat job)."

    def run_job(self, **options) -> int:
        return retry_refunds(now=timezone.now())

    def report(self, done: int) -> str:
        return f"{done} refund(s) done"
