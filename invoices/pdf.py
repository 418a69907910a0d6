"""The invoice as a PDF (WeasyPrint, like exports/writers.py), rendered from the frozen row:
the same invoice always gives the same document. Always in French (docs/invoices.md)."""
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, translation

from .models import Invoice, Settlement


def settlement_mention(invoice: Invoice) -> str:
    if invoice.is_credit_note:
        return "Avoir réglé par compensation sur les virements mensuels (le relevé de virement en donne le détail)."
    if invoice.settlement == Settlement.PAID:
        return f"Facture acquittée — réglée par compensation sur le virement n° {invoice.transfer_reference}."
    return "Facture à régler par compensation sur le prochain virement."


def invoice_html(invoice: Invoice) -> str:
    rate = invoice.vat_rate
    with translation.override("fr"):
        return render_to_string("invoices/invoice_pdf.html", {
            "invoice": invoice, "lines": list(invoice.lines.all()),
            "title": "Avoir" if invoice.is_credit_note else "Facture",
            "settlement": settlement_mention(invoice),
            "vat_percent": formats.number_format(rate * 100, decimal_pos=0 if rate * 100 % 1 == 0 else 2),
            "vat_divisor": formats.number_format(1 + rate, decimal_pos=2),
        })


def invoice_pdf(invoice: Invoice) -> bytes:
    from weasyprint import HTML

    return HTML(string=invoice_html(invoice), base_url=str(settings.BASE_DIR)).write_pdf()


def filename(invoice: Invoice) -> str:
    return f"{'avoir' if invoice.is_credit_note else 'facture'}-{invoice.number}.pdf"
