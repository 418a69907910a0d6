"""The owner's email of the 1st: what the month's payout did, with its statement (PDF + CSV,
in the owner's language) and the month's commission invoice and credit notes (PDF, in French)
attached. Sent once per owner and month (MonthlyNotice), from a task run on commit."""
import logging
from datetime import date, datetime

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from core.dates import long_date
from core.mail import absolute_url, send_in_language
from core.money import format_cents
from payouts.models import Payout, PayoutStatus

from . import pdf, statements
from .models import Invoice, MonthlyNotice

log = logging.getLogger(__name__)


def send_monthly_later(*, owner_id: int, month: date) -> None:
    from .tasks import send_monthly_email

    send_monthly_email.delay(owner_id, month.isoformat())


def send_monthly(*, owner_id: int, month: date, now: datetime) -> bool:
    """Send it unless it went already; the locked row keeps two workers from both sending."""
    owner = User.objects.get(pk=owner_id)
    if owner.deleted_at is not None or not owner.email:
        return False
    MonthlyNotice.objects.get_or_create(owner=owner, month=month)
    with transaction.atomic():
        notice = MonthlyNotice.objects.select_for_update().get(owner=owner, month=month)
        if notice.sent_at is not None:
            return False
        payout = Payout.objects.filter(owner=owner, month=month).first()
        documents = list(Invoice.objects.filter(owner=owner, month=month).order_by("sequence_number"))
        if payout is None and not documents:
            return False
        _send(owner, month, payout, documents)
        notice.sent_at = now
        notice.save(update_fields=["sent_at"])
    return True


def _send(owner: User, month: date, payout: Payout | None, documents: list[Invoice]) -> None:
    with translation.override(owner.language):
        attachments = [(pdf.filename(doc), pdf.invoice_pdf(doc), "application/pdf") for doc in documents]
        if payout is not None and statements.has_statement(payout):
            attachments += [(statements.filename(payout, "pdf"), statements.statement_pdf(payout), "application/pdf"),
                            (statements.filename(payout, "csv"), statements.statement_csv(payout), "text/csv")]

    def build():
        when = long_date(month, "DATE_FORMAT")
        context = {"recipient": owner, "paragraphs": _paragraphs(payout, documents),
                   "dashboard_url": absolute_url(reverse("dashboard_payments")),
                   "onboarding_url": absolute_url(reverse("stripe_connect")),
                   "waiting": payout is not None and payout.status == PayoutStatus.WAITING_ONBOARDING}
        return _("Votre versement du %(date)s") % {"date": when}, context

    send_in_language(to=owner.email, language=owner.language, template="invoices/emails/monthly", build=build,
                     attachments=attachments)
    log.info("monthly email to owner %s for %s: %d attachments", owner.pk, f"{month:%Y-%m}", len(attachments))


def _paragraphs(payout: Payout | None, documents: list[Invoice]) -> list[str]:
    paragraphs = []
    if payout is not None:
        paragraphs.append(_payout_sentence(payout))
    invoices = [doc for doc in documents if not doc.is_credit_note]
    notes = [doc for doc in documents if doc.is_credit_note]
    if invoices:
        paragraphs.append(_("Vous trouverez ci-joint la facture de notre commission n° %(number)s ; elle est "
                            "réglée par compensation : il n'y a rien à nous payer.") % {"number": invoices[0].number})
    for note in notes:
        paragraphs.append(_("Un avoir n° %(number)s corrige la facture n° %(original)s : la commission d'une "
                            "réservation remboursée vous est rendue.")
                          % {"number": note.number, "original": note.corrects.number})
    return paragraphs


def _payout_sentence(payout: Payout) -> str:
    amount = format_cents(payout.amount_cents)
    return {
        PayoutStatus.SENT: _("Nous vous avons versé %(amount)s par virement Stripe ; le relevé joint en donne "
                             "le détail, réservation par réservation."),
        PayoutStatus.PENDING: _("Votre virement de %(amount)s est en cours ; le relevé joint en donne le détail."),
        PayoutStatus.FAILED: _("Votre virement de %(amount)s n'a pas pu être envoyé ; notre équipe s'en occupe "
                               "et la somme reste due."),
        PayoutStatus.WAITING_ONBOARDING: _("%(amount)s vous attendent : terminez votre inscription Stripe Connect "
                                           "pour recevoir vos virements (lien ci-dessous)."),
        PayoutStatus.NOTHING_DUE: _("Aucun virement ce mois-ci : un remboursement après versement est déduit de "
                                    "vos gains ; le relevé joint en donne le détail."),
        PayoutStatus.HELD: _("Votre versement de %(amount)s est retenu ; notre équipe vous contactera."),
    }[payout.status] % {"amount": amount}
