"""The printable voucher (WeasyPrint, like invoices/pdf.py), in the recipient's language. It
carries the code, so it is made when the voucher is delivered and never stored."""
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.mail import absolute_url
from core.money import from_cents

from .models import Voucher


def voucher_html(voucher: Voucher, code: str, *, language: str) -> str:
    with translation.override(language):
        return render_to_string("vouchers/voucher_pdf.html", {
            "voucher": voucher, "code": code, "amount": from_cents(voucher.amount_cents),
            "buyer_name": voucher.order.buyer_name if voucher.order_id else "",
            "site_url": absolute_url(reverse("home")), "LANGUAGE_CODE": language,
        })


def voucher_pdf(voucher: Voucher, code: str, *, language: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=voucher_html(voucher, code, language=language), base_url=str(settings.BASE_DIR)).write_pdf()
