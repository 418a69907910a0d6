"""The recipient's voucher (code + PDF) and the buyer's receipt, each in its language
(core.mail.send_in_language)."""
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from core.mail import absolute_url, send_in_language
from core.money import format_eur, from_cents

from .models import Voucher, VoucherOrder
from .pdf import voucher_pdf


def voucher_pdf_for(voucher: Voucher, code: str) -> bytes:
    return voucher_pdf(voucher, code, language=voucher.recipient_language or settings.LANGUAGE_CODE)


def voucher_to_recipient(voucher: Voucher, code: str, *, pdf: bytes) -> None:
    def build():
        context = {"voucher": voucher, "code": code, "amount": format_eur(from_cents(voucher.amount_cents)),
                   "buyer_name": voucher.order.buyer_name if voucher.order_id else "",
                   "site_url": absolute_url(reverse("home"))}
        return _("Vous avez reçu un bon cadeau Alma Heritage"), context

    with_language = voucher.recipient_language or settings.LANGUAGE_CODE
    send_in_language(to=voucher.recipient_email, language=with_language, template="vouchers/emails/voucher",
                     build=build, reply_to=settings.STAFF_INBOX_BOOKINGS,
                     attachments=[(f"bon-cadeau-{voucher.code_last4}.pdf", pdf, "application/pdf")])


def receipt(order: VoucherOrder) -> None:
    def build():
        context = {"order": order, "amount": format_eur(from_cents(order.amount_cents)),
                   "order_url": absolute_url(reverse("voucher_order", args=[order.access_token]))}
        return _("Votre bon cadeau %(ref)s : reçu de paiement") % {"ref": order.reference}, context

    send_in_language(to=order.buyer_email, language=order.buyer_language, template="vouchers/emails/receipt",
                     build=build, reply_to=settings.STAFF_INBOX_BOOKINGS)
