"""`manage.py issue_invoices --month 2026-11`: the month's commission invoices and credit
notes (invoices.monthly), the same function the beat runs on the 1st at 07:00."""
from datetime import date

from django.core.management.base import CommandError
from django.utils import timezone

from core.jobruns import JobCommand
from invoices.monthly import current_month, issue_invoices
from payouts.monthly import parse_month as payouts_month


def parse_month(value: str) -> date:
    try:
        return payouts_month(value)
    except ValueError:
        raise CommandError(f"--month attend AAAA-MM (par exemple 2026-11), pas {value!r}.") from None


class Command(JobCommand):
    help = "Émet les factures de commission et les avoirs du mois (AAAA-MM, par défaut le mois en cours à Paris)."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="AAAA-MM : le mois du versement (le 1er de ce mois)")

    def run_job(self, *, month: str | None = None, **options) -> dict:
        now = timezone.now()
        result = issue_invoices(month=parse_month(month) if month else current_month(now), now=now)
        return {"invoices": len(result.invoices), "credit_notes": len(result.credit_notes)}

    def report(self, counts: dict) -> str:
        return f"{counts['invoices']} facture(s), {counts['credit_notes']} avoir(s) émis."
