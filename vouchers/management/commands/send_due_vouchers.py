from django.core.management.base import BaseCommand
from django.utils import timezone

from vouchers.sales import deliver_due


class Command(BaseCommand):
    help = "Email the gift vouchers whose delivery day has come (also a beat job)."

    def handle(self, *args, **options) -> None:
        sent = deliver_due(now=timezone.now())
        self.stdout.write(f"{sent} voucher(s) sent")
