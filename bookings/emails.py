"""Booking emails, each in its recipient's language (user.language), HTML + text.

Services call these in `transaction.on_commit`, so a rolled-back change never mails anyone.
Each message is a few paragraphs, a summary of the booking and at most one button,
rendered by bookings/emails/message.{txt,html}."""
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.dates import long_date
from core.mail import absolute_url, send_in_language
from core.money import format_eur

from .models import Booking

log = logging.getLogger(__name__)


@dataclass
class Message:
    subject: str
    paragraphs: list[str] = field(default_factory=list)
    action: tuple[str, str] | None = None  # (button label, absolute URL)


def trip_url(booking: Booking) -> str:
    return absolute_url(reverse("trip_detail", args=[booking.reference]))


def payment_url(booking: Booking) -> str:
    return absolute_url(reverse("payment_page", args=[booking.reference]))


def owner_url(booking: Booking) -> str:
    return absolute_url(reverse("dashboard_booking", args=[booking.reference]))


def when(value) -> str:
    return long_date(timezone.localtime(value), "DATETIME_FORMAT")


def _send(booking: Booking, user: User, build) -> None:
    """Render `build()` in the user's language and send it. Erased accounts get nothing."""
    if user.deleted_at is not None or not user.email:
        return

    def subject_and_context():
        message: Message = build()
        context = {"message": message, "booking": booking, "lines": booking.price_breakdown, "recipient": user}
        return f"{message.subject} ({booking.reference})", context

    subject = send_in_language(to=user.email, language=user.language, template="bookings/emails/message",
                               build=subject_and_context, reply_to=settings.STAFF_INBOX_BOOKINGS)
    log.info("booking %s: mailed %s", booking.reference, subject)


def _traveller_name(booking: Booking) -> str:
    if booking.traveller.deleted_at is not None:  # cancelled while deleting their account (privacy)
        return _("Un voyageur")
    return booking.traveller.get_full_name() or booking.traveller.email


# --- Requests -----------------------------------------------------------------------

def request_received(booking: Booking) -> None:
    _send(booking, booking.owner, lambda: Message(
        _("Nouvelle demande de réservation"),
        [_("%(name)s demande à réserver « %(title)s ».") % {"name": _traveller_name(booking), "title": booking.title},
         _("Vous avez jusqu'au %(deadline)s pour accepter ou refuser ; sans réponse, la demande expire et les "
           "dates sont libérées.") % {"deadline": when(booking.respond_by)},
         *([_("Message du voyageur : %(message)s") % {"message": booking.message}] if booking.message else [])],
        (_("Répondre à la demande"), owner_url(booking))))


def request_sent(booking: Booking) -> None:
    _send(booking, booking.traveller, lambda: Message(
        _("Votre demande de réservation est envoyée"),
        [_("Votre demande pour « %(title)s » est envoyée au propriétaire. Les dates sont retenues pour vous en "
           "attendant sa réponse, au plus tard le %(deadline)s.") % {"title": booking.title,
                                                                    "deadline": when(booking.respond_by)},
         _("Vous ne payez rien tant que la demande n'est pas acceptée.")],
        (_("Voir ma demande"), trip_url(booking))))


def owner_reminder(booking: Booking) -> None:
    _send(booking, booking.owner, lambda: Message(
        _("Rappel : une demande attend votre réponse"),
        [_("La demande de %(name)s pour « %(title)s » expire le %(deadline)s. Sans réponse de votre part, les "
           "dates seront libérées.") % {"name": _traveller_name(booking), "title": booking.title,
                                       "deadline": when(booking.respond_by)}],
        (_("Répondre à la demande"), owner_url(booking))))


def accepted(booking: Booking) -> None:
    hours = settings.BOOKING_PAYMENT_HOURS
    _send(booking, booking.traveller, lambda: Message(
        _("Votre demande est acceptée : réglez votre réservation"),
        [_("Bonne nouvelle : le propriétaire accepte votre demande pour « %(title)s ».") % {"title": booking.title},
         _("Vous avez %(hours)s heures pour payer, jusqu'au %(deadline)s. Passé ce délai, la réservation expire et "
           "les dates sont libérées.") % {"hours": hours, "deadline": when(booking.pay_by)}],
        (_("Payer ma réservation"), payment_url(booking))))


def refused(booking: Booking) -> None:
    paragraphs = [_("Le propriétaire ne peut pas accueillir votre demande pour « %(title)s ». Vous n'avez rien "
                    "payé.") % {"title": booking.title}]
    if booking.refusal_reason:
        paragraphs.append(_("Son message : %(reason)s") % {"reason": booking.refusal_reason})
    _send(booking, booking.traveller, lambda: Message(_("Votre demande de réservation est refusée"), paragraphs,
                                                      (_("Voir ma demande"), trip_url(booking))))


# --- Deadlines --------------------------------------------------------------------------

def request_expired(booking: Booking) -> None:
    _send(booking, booking.traveller, lambda: Message(
        _("Votre demande de réservation a expiré"),
        [_("Le propriétaire n'a pas répondu à temps à votre demande pour « %(title)s ». Les dates sont libérées "
           "et vous n'avez rien payé.") % {"title": booking.title}],
        (_("Voir ma demande"), trip_url(booking))))


def payment_expired(booking: Booking) -> None:
    _send(booking, booking.traveller, lambda: Message(
        _("Votre réservation a expiré faute de paiement"),
        [_("Le paiement de « %(title)s » n'est pas arrivé dans le délai. La réservation a expiré et les dates "
           "sont libérées.") % {"title": booking.title}],
        (_("Voir ma réservation"), trip_url(booking))))
    _send(booking, booking.owner, lambda: Message(
        _("Réservation expirée faute de paiement"),
        [_("%(name)s n'a pas payé « %(title)s » dans le délai. La réservation a expiré et les dates sont à "
           "nouveau disponibles.") % {"name": _traveller_name(booking), "title": booking.title}],
        (_("Voir la réservation"), owner_url(booking))))


# --- Payment, cancellation, refunds -----------------------------------------------

def confirmed(booking: Booking) -> None:
    _send(booking, booking.traveller, lambda: Message(
        _("Votre réservation est confirmée"),
        [_("Merci ! Votre paiement de %(amount)s est reçu : « %(title)s » est confirmée.")
         % {"amount": format_eur(booking.amount_paid + booking.voucher_amount), "title": booking.title},
         *_heritage_line(booking)],
        (_("Voir ma réservation"), trip_url(booking))))
    _send(booking, booking.owner, lambda: Message(
        _("Nouvelle réservation confirmée"),
        [_("%(name)s a payé « %(title)s » : la réservation est confirmée.")
         % {"name": _traveller_name(booking), "title": booking.title},
         _("Votre revenu net : %(net)s, versé le mois suivant la fin du séjour.") % {"net": format_eur(booking.owner_net)}],
        (_("Voir la réservation"), owner_url(booking))))


def _heritage_line(booking: Booking) -> list[str]:
    """The donation share frozen on the price when paid (bookings.pricing.commission_split):
    the ledger gives it to the foundations when the service ends (donations/selectors.py)."""
    if not booking.donation_amount:
        return []
    return [_("%(amount)s de votre réservation iront aux fondations du patrimoine partenaires, à la fin de "
              "votre séjour ou de votre expérience, sans rien coûter de plus.") % {"amount": format_eur(booking.donation_amount)}]


def cancelled(booking: Booking, refund: Decimal, voucher_refund: Decimal = Decimal("0")) -> None:
    by_owner = booking.cancelled_by != "traveller"

    def refund_line() -> str:  # inside the builder: in the traveller's language, not the canceller's
        lines = []
        if refund > 0:
            lines.append(_("Vous serez remboursé de %(amount)s.") % {"amount": format_eur(refund)})
        if voucher_refund > 0:  # given back to the gift vouchers that paid it (docs/vouchers.md#cancellation)
            lines.append(_("%(amount)s sont recrédités sur vos bons cadeaux.") % {"amount": format_eur(voucher_refund)})
        return " ".join(lines) or _("Aucun remboursement n'est dû.")

    _send(booking, booking.traveller, lambda: Message(
        _("Votre réservation est annulée"),
        [(_("Le propriétaire a annulé « %(title)s ».") if by_owner else _("Vous avez annulé « %(title)s »."))
         % {"title": booking.title}, refund_line()],
        (_("Voir ma réservation"), trip_url(booking))))
    _send(booking, booking.owner, lambda: Message(
        _("Réservation annulée"),
        [(_("Vous avez annulé « %(title)s ».") if by_owner else _("%(name)s a annulé « %(title)s ».")) %
         {"title": booking.title, "name": _traveller_name(booking)},
         _("Les dates sont à nouveau disponibles.")],
        (_("Voir la réservation"), owner_url(booking))))


def refund_issued(booking: Booking, amount: Decimal) -> None:
    _send(booking, booking.traveller, lambda: Message(
        _("Votre remboursement est effectué"),
        [_("Nous vous avons remboursé %(amount)s pour « %(title)s ». Selon votre banque, il apparaît sous 5 à "
           "10 jours.") % {"amount": format_eur(amount), "title": booking.title}],
        (_("Voir ma réservation"), trip_url(booking))))


def late_payment_refunded(booking: Booking, amount: Decimal) -> None:
    _send(booking, booking.traveller, lambda: Message(
        _("Paiement arrivé trop tard : vous êtes remboursé"),
        [_("Votre paiement pour « %(title)s » est arrivé après le délai ou alors que les dates n'étaient plus "
           "disponibles. La réservation n'est pas confirmée et nous vous avons remboursé %(amount)s.")
         % {"title": booking.title, "amount": format_eur(amount)}],
        (_("Voir ma réservation"), trip_url(booking))))
    _send(booking, booking.owner, lambda: Message(
        _("Paiement tardif remboursé"),
        [_("Le paiement de %(name)s pour « %(title)s » est arrivé trop tard ; il a été remboursé "
           "automatiquement et la réservation n'est pas confirmée.")
         % {"name": _traveller_name(booking), "title": booking.title}],
        (_("Voir la réservation"), owner_url(booking))))
