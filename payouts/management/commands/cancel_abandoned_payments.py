
from core.jobruns import JobCommand
from payouts.services import cancel_abandoned_intents


class Command(JobCommand):
    help = "Cancel at Stripe the PaymentIntents of bookings that can no longer be paid (also a beat job)."

    def run_job(self, **options) -> int:
        return cancel_abandoned_intents()

    def report(self, cancelled: int) -> str:
        return f"{cancelled} payment(s) cancelled"
