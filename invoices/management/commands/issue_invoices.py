"""`manage.py issue_invoices --month 2026-11`: the month's commission invoices and credit
notes (invoices.monthly), the same function the beat runs on the 1st at 07:00."""
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from invoices.monthly import current_month, issue_invoices
from payouts.monthly import parse_month as payouts_month


def parse_month(value: str) -> date:
    try:
        return payouts_month(value)
    except ValueError:
        raise CommandError(f"--month attend AAAA-MM (par exemple 2026-11), pas {value!r}.") from None


class Command(BaseCommand):
    help = "Émet les factures de commission et les avoirs du mois (AAAA-MM, par défaut le mois en cours à Paris)."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="AAAA-MM : le mois du versement (le 1er de ce mois)")

    def handle(self, *args, month: str | None = None, **options):
        now = timezone.now()
        result = issue_invoices(month=parse_month(month) if month else current_month(now), now=now)
        self.stdout.write(f"{len(result.invoices)} facture(s), {len(result.credit_notes)} avoir(s) émis.")
