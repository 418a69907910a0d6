from django.utils import timezone

from core.jobruns import JobCommand
from payouts.monthly import retry_payouts


class Command(JobCommand):
    help = "Retry the payouts whose transfer is pending or in doubt (looked up at Stripe first: never sent twice)."

    def run_job(self, **options) -> int:
        return retry_payouts(now=timezone.now())

    def report(self, retried: int) -> str:
        return f"{retried} payout(s) retried"
