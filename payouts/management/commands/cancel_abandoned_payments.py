from django.core.management.base import BaseCommand

from payouts.services import cancel_abandoned_intents


class Command(BaseCommand):
    help = "Cancel at Stripe the PaymentIntents of bookings that can no longer be paid (also a beat job)."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"{cancel_abandoned_intents()} payment(s) cancelled")
