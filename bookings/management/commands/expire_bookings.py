from django.core.management.base import BaseCommand
from django.utils import timezone

from bookings.services import expire_overdue


class Command(BaseCommand):
    help = "Expire bookings whose answer, payment or checkout deadline passed; remind owners (idempotent)."

    def handle(self, *args, **options) -> None:
        expired = expire_overdue(now=timezone.now())
        self.stdout.write(f"{expired} booking(s) expired")
