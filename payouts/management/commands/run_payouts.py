from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from payouts.monthly import parse_month, payout_month, run_payouts


class Command(BaseCommand):
    help = ("Pay owners for a month (the 1st it is paid on, YYYY-MM; default: the current month in Paris): "
            "services ended before its 1st at 00:00 Paris. Safe to run again (exactly once per owner and month).")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--month", help="YYYY-MM, the month of the 1st the payouts are made on")

    def handle(self, *args, month: str | None = None, **options) -> None:
        now = timezone.now()
        try:
            first = parse_month(month) if month else payout_month(now)
            report = run_payouts(month=first, now=now)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{first:%Y-%m}: {report.written} payout(s) written, {report.sent} sent, "
                          f"{report.waiting} waiting, {report.failed} failed, {report.in_doubt} in doubt")
