from django.core.management.base import BaseCommand
from django.utils import timezone

from payouts.refunds import retry_refunds


class Command(BaseCommand):
    help = "Ask Stripe again for the refunds it could not take earlier (also a beat job)."

    def handle(self, *args, **options) -> None:
        done = retry_refunds(now=timezone.now())
        self.stdout.write(f"{done} refund(s) done")
