"""Review emails, each in its recipient's language (core.mail), HTML + text, sent once the
transaction commits (services.py). Erased accounts get nothing."""
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from bookings.models import Booking
from core.mail import Message, absolute_url, send_message

from .models import Review, ReviewComplaint


def _send(user: User | None, build, *, to: str = "", language: str = "") -> None:
    """To `user` in their language, or to the address `to` (a staff inbox) in `language`."""
    send_message(user, build, to=to, language=language, reply_to=settings.STAFF_INBOX_REVIEWS)


def review_url(booking: Booking) -> str:
    return absolute_url(reverse("review_write", args=[booking.reference]))


def _title(booking: Booking) -> str:
    return booking.title


def invitation(booking: Booking) -> None:
    if not booking.traveller.review_emails:  # a preference under "Mon compte" (non-essential email)
        return
    _send(booking.traveller, lambda: Message(
        _("Comment s'est passé votre séjour ?") if booking.unit_id else _("Comment s'est passée votre expérience ?"),
        [_("Merci d'avoir choisi « %(title)s ». Votre avis aide les autres voyageurs et le propriétaire.")
         % {"title": _title(booking)},
         _("Une note de 1 à 5, quatre notes détaillées (propreté, accueil, intérêt patrimonial, rapport "
           "qualité-prix) et quelques mots : deux minutes suffisent. Vous avez 60 jours.")],
        (_("Donner mon avis"), review_url(booking))))


def reminder(booking: Booking) -> None:
    if not booking.traveller.review_emails:
        return
    _send(booking.traveller, lambda: Message(
        _("Votre avis sur « %(title)s »") % {"title": _title(booking)},
        [_("Vous n'avez pas encore donné votre avis sur « %(title)s ». Il reste quelques semaines pour le faire ; "
           "c'est notre dernier rappel.") % {"title": _title(booking)}],
        (_("Donner mon avis"), review_url(booking))))


def _owner_review_url(review: Review) -> str:
    return absolute_url(reverse("dashboard_review", args=[review.pk]))


def new_review(review: Review) -> None:
    booking = review.booking
    _send(review.owner, lambda: Message(
        _("Nouvel avis sur « %(title)s »") % {"title": _title(booking)},
        [_("Un voyageur a donné une note de %(rating)s/5 à « %(title)s » (réservation %(reference)s).")
         % {"rating": review.rating, "title": _title(booking), "reference": booking.reference},
         _("Vous pouvez y répondre publiquement une fois, ou déposer une réclamation auprès de l'équipe si "
           "l'avis vous semble contraire à nos règles.")],
        (_("Voir l'avis"), _owner_review_url(review))))


def complaint_filed(complaint: ReviewComplaint) -> None:
    review = complaint.review
    admin_url = absolute_url(reverse("admin:reviews_reviewcomplaint_change", args=[complaint.pk]))
    _send(None, lambda: Message(
        _("Réclamation avis : %(reference)s") % {"reference": review.booking.reference},
        [_("Motif : %(reason)s") % {"reason": complaint.get_reason_display()}, complaint.explanation],
        (_("Traiter la réclamation"), admin_url)),
        to=settings.STAFF_INBOX_REVIEWS, language=settings.LANGUAGE_CODE)


def complaint_decided(complaint: ReviewComplaint) -> None:
    review = complaint.review
    hidden = complaint.status == "hidden"
    title = _title(review.booking)

    def for_owner():
        outcome = (_("L'équipe a masqué l'avis sur « %(title)s » : il n'apparaît plus sur le site ni dans les "
                     "moyennes.") if hidden else
                   _("L'équipe a examiné votre réclamation et maintient l'avis sur « %(title)s »."))
        return Message(_("Votre réclamation sur un avis a été traitée"),
                       [outcome % {"title": title}, _("Motif : %(reason)s") % {"reason": complaint.decision_reason}],
                       (_("Voir l'avis"), _owner_review_url(review)))

    def for_traveller():
        outcome = (_("Après examen, votre avis sur « %(title)s » a été masqué par l'équipe.") if hidden else
                   _("Le propriétaire a contesté votre avis sur « %(title)s » ; après examen, l'équipe le "
                     "maintient en ligne."))
        return Message(_("Votre avis a été examiné par l'équipe"),
                       [outcome % {"title": title}, _("Motif : %(reason)s") % {"reason": complaint.decision_reason}])

    _send(review.owner, for_owner)
    _send(review.author, for_traveller)


def review_hidden(review: Review, reason: str) -> None:
    title = _title(review.booking)
    for user in (review.owner, review.author):
        _send(user, lambda: Message(
            _("Un avis a été masqué"),
            [_("L'équipe a masqué l'avis sur « %(title)s » : il n'apparaît plus sur le site ni dans les moyennes.")
             % {"title": title}, _("Motif : %(reason)s") % {"reason": reason}]))
