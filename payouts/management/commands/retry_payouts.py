from django.core.management.base import BaseCommand
from django.utils import timezone

from payouts.monthly import retry_payouts


class Command(BaseCommand):
    help = "Retry the payouts whose transfer is pending or in doubt (looked up at Stripe first: never sent twice)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{retry_payouts(now=timezone.now())} payout(s) retried")
