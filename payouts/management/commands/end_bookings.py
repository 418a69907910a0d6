from django.core.management.base import BaseCommand
from django.utils import timezone

from payouts.ledger import end_bookings


class Command(BaseCommand):
    help = "Post to the ledger the paid bookings whose service has ended (idempotent)."

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        self.stdout.write(f"{end_bookings(before=now, now=now)} booking(s) posted as ended")
