"""Calendar-sync emails, in the recipient's language, HTML + text. Called on commit."""
import logging

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import long_date
from core.mail import absolute_url, send_in_language

from .models import DoubleBookingAlert, Feed

log = logging.getLogger(__name__)


def contract_url() -> str:
    return absolute_url(reverse("page_detail", args=["contrat-proprietaire"]))


def _day(value) -> str:
    return long_date(value, "DATE_FORMAT")


def _send(*, to: str, language: str, build, reply_to: str | None = None) -> None:
    def subject_and_context():
        subject, paragraphs, action = build()
        return subject, {"subject": subject, "paragraphs": paragraphs, "action": action}

    subject = send_in_language(to=to, language=language, template="calsync/emails/message", build=subject_and_context,
                               reply_to=reply_to or settings.STAFF_INBOX_BOOKINGS)
    log.info("calsync: mailed %s to %s", subject, to)


def feed_stale(feed_id: int) -> None:
    """Told once when a feed keeps failing: the nights it blocked may be outdated."""
    feed = Feed.objects.select_related("unit__lodging__domain__owner").get(pk=feed_id)
    owner = feed.unit.lodging.domain.owner
    if getattr(owner, "deleted_at", None) is not None or not owner.email:
        return

    def build():
        return (_("Calendrier importé en panne : %(feed)s") % {"feed": feed.display_name},
                [_("Nous n'arrivons plus à lire le calendrier « %(feed)s » de %(unit)s depuis plusieurs heures. "
                   "Les dernières dates connues restent bloquées, mais les nouvelles réservations faites sur "
                   "cette plateforme ne nous parviennent plus.") % {"feed": feed.display_name, "unit": feed.unit},
                 _("Dernière erreur : %(error)s") % {"error": feed.last_error},
                 _("Vérifiez le lien iCal sur la plateforme et collez-le de nouveau si besoin.")],
                (_("Configuration iCal"), absolute_url(reverse("calsync_unit_feeds", args=[feed.unit_id]))))

    _send(to=owner.email, language=owner.language, build=build)


def double_booking(alert_id: int) -> None:
    """One email to the owner and one to the reservations inbox, per alert."""
    alert = DoubleBookingAlert.objects.select_related("booking", "unit__lodging__domain__owner").get(pk=alert_id)
    owner = alert.unit.lodging.domain.owner
    if getattr(owner, "deleted_at", None) is None and owner.email:
        _send(to=owner.email, language=owner.language, build=lambda: _double_booking_message(alert, staff=False))
    _send(to=settings.STAFF_INBOX_BOOKINGS, language=settings.LANGUAGE_CODE,
          build=lambda: _double_booking_message(alert, staff=True), reply_to=owner.email or None)
    DoubleBookingAlert.objects.filter(pk=alert.pk, notified_at__isnull=True).update(notified_at=timezone.now())


def _double_booking_message(alert, *, staff: bool):
    booking = alert.booking
    facts = {"unit": alert.unit, "reference": booking.reference, "arrival": _day(booking.arrival),
             "departure": _day(booking.departure), "source": alert.source_name,
             "start": _day(alert.block_start), "end": _day(alert.block_end)}
    paragraphs = [
        _("Double réservation sur %(unit)s : la réservation Alma Heritage %(reference)s (du %(arrival)s au "
          "%(departure)s) chevauche des dates bloquées par le calendrier « %(source)s » (du %(start)s au "
          "%(end)s).") % facts,
        _("Que faire ? Proposez sans délai au voyageur une solution alternative de qualité égale ou supérieure, "
          "ou un remboursement avec indemnisation selon la situation, et dites-nous votre choix en répondant à "
          "cet email (objet « double réservation »)."),
        _("Pour en savoir plus, lisez votre contrat propriétaire : %(url)s") % {"url": contract_url()},
    ]
    if staff:
        paragraphs.insert(1, _("Propriétaire : %(email)s") % {"email": alert.unit.lodging.domain.owner.email})
    action = (_("Voir le calendrier"),
              absolute_url(reverse("calsync_domain", args=[alert.unit.lodging.domain_id])))
    return _("Double réservation %(reference)s") % facts, paragraphs, action
