"""Report emails (core.mail, each in its recipient's language, sent once the change commits):
the staff inbox hears of a new report, the owner receives the decision. The traveller is not
written to: a report is the owner's word to staff, and staff decide whom to contact."""
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from core.mail import Message, absolute_url, send_message

from .models import ReportDecision, TravellerReport


def report_filed(report: TravellerReport) -> None:
    admin_url = absolute_url(reverse("admin:reports_travellerreport_change", args=[report.pk]))
    send_message(None, lambda: Message(
        _("Signalement voyageur : %(reference)s") % {"reference": report.booking.reference},
        [_("Catégorie : %(category)s") % {"category": report.get_category_display()}, report.description],
        (_("Traiter le signalement"), admin_url)),
        to=settings.STAFF_INBOX_REPORTS, language=settings.LANGUAGE_CODE)


def report_decided(report: TravellerReport) -> None:
    def build():
        outcome = (_("L'équipe a examiné votre signalement sur la réservation %(reference)s et le retient.")
                   if report.decision == ReportDecision.UPHELD else
                   _("L'équipe a examiné votre signalement sur la réservation %(reference)s et ne le retient pas."))
        return Message(_("Votre signalement a été traité"),
                       [outcome % {"reference": report.booking.reference}, report.decision_text],
                       (_("Voir le signalement"), absolute_url(reverse("dashboard_report", args=[report.pk]))))

    send_message(report.owner, build, reply_to=settings.STAFF_INBOX_REPORTS)
