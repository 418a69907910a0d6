from django.core.management.base import CommandError
from django.utils import timezone

from core.jobruns import JobCommand
from payouts.monthly import RunReport, parse_month, payout_month, run_payouts


class Command(JobCommand):
    help = ("Pay owners for a month (the 1st it is paid on, YYYY-MM; default: the current month in Paris): "
            "services ended before its 1st at 00:00 Paris. Safe to run again (exactly once per owner and month).")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--month", help="YYYY-MM, the month of the 1st the payouts are made on")

    def run_job(self, *, month: str | None = None, **options) -> RunReport:
        now = timezone.now()
        try:
            self.month = parse_month(month) if month else payout_month(now)
        except ValueError as error:
            raise CommandError(str(error)) from error
        return run_payouts(month=self.month, now=now)

    def report(self, report: RunReport) -> str:
        return (f"{self.month:%Y-%m}: {report.written} payout(s) written, {report.sent} sent, "
                f"{report.waiting} waiting, {report.failed} failed, {report.in_doubt} in doubt")
