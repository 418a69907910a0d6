"""A payout's statement as files: a PDF (WeasyPrint) and a CSV (the exports app's writer: `;`,
decimal commas, formula-safe cells), in the active language. The rows and totals are
payouts.statements' (read from the ledger); nothing is recomputed here."""
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.money import from_cents
from exports.registry import Column, Table
from exports.writers import csv_chunks
from payouts.models import Payout, PayoutStatus
from payouts.statements import StatementRow, StatementTotals, statement_rows, statement_totals

from .selectors import payout_state

# A payout written with lines: sent, being sent, or netted to nothing by a debt. A failed
# payout released its lines and one waiting for Stripe onboarding has none yet.
WITH_STATEMENT = (PayoutStatus.SENT, PayoutStatus.PENDING, PayoutStatus.NOTHING_DUE)

COLUMNS = (
    Column(_("Réservation")), Column(_("Offre")), Column(_("Arrivée"), "date"), Column(_("Départ"), "date"),
    Column(_("Voyageur")), Column(_("Montant conservé"), "money"), Column(_("Commission TTC"), "money"),
    Column(_("Net pour vous"), "money"), Column(_("Complément bon cadeau"), "money"),
    Column(_("Remboursements et dettes"), "money"), Column(_("Versé"), "money"),
)


def has_statement(payout: Payout) -> bool:
    return payout.status in WITH_STATEMENT


def filename(payout: Payout, extension: str) -> str:
    return f"releve-{payout.month:%Y-%m}-{payout.pk}.{extension}"


def _money(row: StatementRow | StatementTotals) -> list:
    return [from_cents(cents) for cents in (row.kept_cents, row.commission_cents, row.net_cents,
                                            row.voucher_complement_cents, row.refunds_debts_cents,
                                            row.amount_cents)]


def statement_csv(payout: Payout) -> bytes:
    rows = statement_rows(payout)
    totals = statement_totals(payout, rows)
    values = [[row.booking_reference, row.offer, row.arrival, row.departure, row.traveller_name, *_money(row)]
              for row in rows]
    values.append([str(_("Total")), "", None, None, "", *_money(totals)])
    table = Table(title=str(_("Relevé de versement")), owner_name="", columns=COLUMNS, rows=iter(values),
                  row_count=len(values), count_label="")
    return "".join(csv_chunks(table)).encode("utf-8")


def statement_html(payout: Payout) -> str:
    rows = statement_rows(payout)
    return render_to_string("invoices/statement_pdf.html", {
        "payout": payout, "owner": payout.owner, "rows": rows, "totals": statement_totals(payout, rows),
        "generated_at": timezone.localtime(), "status": payout_state(payout),
        "invoices": list(payout.owner.commission_invoices.filter(month=payout.month).order_by("sequence_number")),
    })


def statement_pdf(payout: Payout) -> bytes:
    from weasyprint import HTML

    return HTML(string=statement_html(payout), base_url=str(settings.BASE_DIR)).write_pdf()
