"""The review rules: who may write, edit, answer, complain and decide, and when; the
invitations and their reminder. Views, admin, the beat task and its command call these.

Each change: guard → write (compare-and-set where two requests could race) → a ReviewEvent
→ the offer's rating recomputed → emails in `transaction.on_commit`."""
import re
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from bookings.models import Booking, BookingStatus
from core.dates import PARIS, paris_midnight, today_in_paris
from domains.signals import content_changed

from . import emails
from .models import (
    RATING_FIELDS,
    TEXT_MAX,
    ComplaintStatus,
    OfferRating,
    Review,
    ReviewAction,
    ReviewComplaint,
    ReviewEvent,
    ReviewInvitation,
    ReviewStatus,
)

REVIEW_WINDOW = timedelta(days=60)  # after the service's end
EDIT_WINDOW = timedelta(hours=48)  # for the traveller's review and for the owner's reply
REMINDER_AFTER = timedelta(days=7)  # after the invitation, once, if still no review
INVITATION_HOUR = 9  # the day after the end, from 09:00 in Paris (not in the night)
BATCH = 500
# Control characters other than tab and newlines: invisible, and refused by some mail servers.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ReviewError(Exception):
    """An expected refusal, with a message for the person who asked (translatable)."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def clean_text(text: str) -> str:
    """Plain text as written: newlines kept (shown as line breaks), control characters out.
    HTML is not removed but always shown escaped, so it stays inert text."""
    text = CONTROL_CHARACTERS.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if len(text) > TEXT_MAX:
        raise ReviewError(_("Le texte dépasse %(n)s caractères.") % {"n": TEXT_MAX})
    return text


# --- Who may do what, when --------------------------------------------------------------

def review_problem(*, booking: Booking, now: datetime) -> str | None:
    """Why this booking cannot be reviewed now, or None. The author check is the views'
    (someone else's booking is a 404, never an explanation)."""
    if booking.status != BookingStatus.CONFIRMED:
        return _("Seule une réservation confirmée, dont le séjour ou l'expérience a eu lieu, peut recevoir un avis.")
    if now < booking.service_end:
        return _("Vous pourrez donner votre avis une fois votre séjour ou votre expérience terminé.")
    if now >= booking.service_end + REVIEW_WINDOW:
        return _("Le délai de 60 jours après la fin du séjour ou de l'expérience pour donner un avis est passé.")
    if Review.objects.filter(booking=booking).exists():
        return _("Vous avez déjà donné votre avis sur cette réservation.")
    return None


def can_edit(*, review: Review, now: datetime) -> bool:
    return review.is_visible and now < review.created_at + EDIT_WINDOW


def can_reply(*, review: Review, now: datetime) -> bool:
    """Once, then editable for 48 h; never on a hidden review (nobody would read it)."""
    if not review.is_visible:
        return False
    return review.replied_at is None or now < review.replied_at + EDIT_WINDOW


def can_complain(*, review: Review) -> bool:
    """Once per review, while it is public (`complaint` is select_related by the lists)."""
    try:
        review.complaint  # noqa: B018
    except ReviewComplaint.DoesNotExist:
        return review.is_visible
    return False


def _event(review: Review, action: str, *, actor: User | None, now: datetime, reason: str = "") -> None:
    ReviewEvent.objects.create(review=review, action=action, actor=actor, reason=reason[:1000], created_at=now)


def _ratings(values: dict) -> dict:
    ratings = {name: values[name] for name in RATING_FIELDS}
    if any(not isinstance(v, int) or not 1 <= v <= 5 for v in ratings.values()):
        raise ReviewError(_("Chaque note va de 1 à 5."))
    return ratings


# --- The traveller's review --------------------------------------------------------------

def write_review(*, booking: Booking, author: User, ratings: dict, text: str, now: datetime) -> Review:
    if author.pk != booking.traveller_id:
        raise ReviewError(_("Seul le voyageur de cette réservation peut donner son avis."))
    problem = review_problem(booking=booking, now=now)
    if problem:
        raise ReviewError(problem)
    offer = booking.offer
    values = {**_ratings(ratings), "text": clean_text(text)}
    try:
        with transaction.atomic():
            review = Review.objects.create(
                booking=booking, author=author, owner_id=booking.owner_id, domain_id=offer.domain_id,
                lodging=offer if booking.unit_id else None, experience=None if booking.unit_id else offer,
                created_at=now, **values)
            _event(review, ReviewAction.WRITTEN, actor=author, now=now)
            refresh_rating(review)
            transaction.on_commit(lambda: emails.new_review(review))
    except IntegrityError:  # two submissions at once: the unique booking keeps one
        raise ReviewError(_("Vous avez déjà donné votre avis sur cette réservation.")) from None
    return review


def edit_review(*, review: Review, by: User, ratings: dict, text: str, now: datetime) -> Review:
    if by.pk != review.author_id:
        raise ReviewError(_("Seul l'auteur peut modifier cet avis."))
    if not can_edit(review=review, now=now):
        raise ReviewError(_("Un avis se modifie pendant 48 heures après sa publication ; ce délai est passé."))
    values = {**_ratings(ratings), "text": clean_text(text), "edited_at": now}
    with transaction.atomic():
        Review.objects.filter(pk=review.pk).update(**values)
        for name, value in values.items():
            setattr(review, name, value)
        _event(review, ReviewAction.EDITED, actor=by, now=now)
        refresh_rating(review)
        _shown_changed(review)
    return review


# --- The owner's reply and complaint --------------------------------------------------------

def reply(*, review: Review, by: User, text: str, now: datetime) -> Review:
    """The owner answers publicly once; the answer can be corrected for 48 h."""
    if by.pk != review.owner_id:
        raise ReviewError(_("Seul le propriétaire de l'offre peut répondre à cet avis."))
    text = clean_text(text)
    if not text:
        raise ReviewError(_("Écrivez votre réponse."))
    if not can_reply(review=review, now=now):
        raise ReviewError(_("Vous avez déjà répondu à cet avis ; une réponse se modifie pendant 48 heures."))
    with transaction.atomic():
        if review.replied_at is None:
            # Compare-and-set: of two first answers sent at once, one wins, the other is refused.
            if not Review.objects.filter(pk=review.pk, replied_at__isnull=True).update(reply=text, replied_at=now):
                raise ReviewError(_("Vous avez déjà répondu à cet avis."))
            review.replied_at, action = now, ReviewAction.REPLIED
        else:
            Review.objects.filter(pk=review.pk).update(reply=text)
            action = ReviewAction.REPLY_EDITED
        review.reply = text
        _event(review, action, actor=by, now=now)
        _shown_changed(review)
    return review


def file_complaint(*, review: Review, by: User, reason: str, explanation: str, now: datetime) -> ReviewComplaint:
    if by.pk != review.owner_id:
        raise ReviewError(_("Seul le propriétaire de l'offre peut contester cet avis."))
    explanation = clean_text(explanation)
    if not explanation:
        raise ReviewError(_("Expliquez ce qui ne va pas dans cet avis."))
    if not can_complain(review=review):
        raise ReviewError(_("Une réclamation a déjà été déposée pour cet avis."))
    try:
        with transaction.atomic():
            complaint = ReviewComplaint.objects.create(review=review, filed_by=by, reason=reason,
                                                       explanation=explanation, created_at=now)
            _event(review, ReviewAction.COMPLAINT_FILED, actor=by, now=now, reason=complaint.get_reason_display())
            transaction.on_commit(lambda: emails.complaint_filed(complaint))
    except IntegrityError:
        raise ReviewError(_("Une réclamation a déjà été déposée pour cet avis.")) from None
    review.complaint = complaint
    return complaint


# --- Staff ---------------------------------------------------------------------------------

def decide_complaint(*, complaint: ReviewComplaint, by: User, hide: bool, reason: str, now: datetime) -> None:
    """Staff keep the review or hide it, with a reason both the owner and the traveller receive."""
    reason = " ".join(reason.split())
    if not reason:
        raise ReviewError(_("Indiquez le motif de la décision : il est envoyé au propriétaire et au voyageur."))
    new = ComplaintStatus.HIDDEN if hide else ComplaintStatus.KEPT
    with transaction.atomic():
        if not ReviewComplaint.objects.filter(pk=complaint.pk, status=ComplaintStatus.OPEN).update(
                status=new, decision_reason=reason[:1000], decided_by=by, decided_at=now):
            raise ReviewError(_("Cette réclamation a déjà été traitée."))
        complaint.status, complaint.decision_reason, complaint.decided_by, complaint.decided_at = new, reason, by, now
        review = complaint.review
        if hide:
            _set_visibility(review, status=ReviewStatus.HIDDEN, reason=reason)
        _event(review, ReviewAction.HIDDEN if hide else ReviewAction.KEPT, actor=by, now=now, reason=reason)
        transaction.on_commit(lambda: emails.complaint_decided(complaint))


def hide_review(*, review: Review, by: User, reason: str, now: datetime) -> None:
    """Staff hide a review without a complaint (e.g. a report from elsewhere); both sides told."""
    reason = " ".join(reason.split())
    if not reason:
        raise ReviewError(_("Indiquez le motif du masquage."))
    with transaction.atomic():
        if not _set_visibility(review, status=ReviewStatus.HIDDEN, reason=reason):
            raise ReviewError(_("Cet avis est déjà masqué."))
        _event(review, ReviewAction.HIDDEN, actor=by, now=now, reason=reason)
        transaction.on_commit(lambda: emails.review_hidden(review, reason))


def show_review(*, review: Review, by: User, reason: str, now: datetime) -> None:
    with transaction.atomic():
        if not _set_visibility(review, status=ReviewStatus.VISIBLE, reason=""):
            raise ReviewError(_("Cet avis est déjà publié."))
        _event(review, ReviewAction.SHOWN, actor=by, now=now, reason=" ".join(reason.split()))


def _set_visibility(review: Review, *, status: str, reason: str) -> bool:
    changed = Review.objects.filter(pk=review.pk).exclude(status=status).update(
        status=status, hidden_reason=reason[:1000])
    if changed:
        review.status, review.hidden_reason = status, reason[:1000]
        refresh_rating(review)
        _shown_changed(review)
    return bool(changed)


def _shown_changed(review: Review) -> None:
    """The offer pages show the review (an UPDATE: no post_save; public/fragments.py)."""
    content_changed.send(sender=Review, domain_id=review.domain_id, lodging_id=review.lodging_id,
                         experience_id=review.experience_id)


def refresh_rating(review: Review) -> None:
    """The offer's count and average over its visible reviews (the search cards read them)."""
    where = {"lodging_id": review.lodging_id} if review.lodging_id else {"experience_id": review.experience_id}
    totals = Review.objects.filter(status=ReviewStatus.VISIBLE, **where).aggregate(count=Count("id"),
                                                                                 average=Avg("rating"))
    average = round(totals["average"], 2) if totals["average"] is not None else None
    OfferRating.objects.update_or_create(**where, defaults={"count": totals["count"], "average": average})


# --- Invitations (beat task and command `send_review_invitations`) ---------------------------

def _ended_before_invitation_time(now: datetime) -> datetime:
    """Bookings whose service ended before this instant are due an invitation: the day after
    the end's day, from INVITATION_HOUR in Paris."""
    today = today_in_paris(now)
    due_day = today if now.astimezone(PARIS).hour >= INVITATION_HOUR else today - timedelta(days=1)
    return paris_midnight(due_day)


def send_invitations(*, now: datetime) -> int:
    """Invite each reviewable booking once (the invitation row is unique per booking)."""
    bookings = (Booking.objects.filter(status=BookingStatus.CONFIRMED,
                                       service_end__lt=_ended_before_invitation_time(now),
                                       service_end__gt=now - REVIEW_WINDOW)
                .exclude(Exists(ReviewInvitation.objects.filter(booking=OuterRef("pk"))))
                .exclude(Exists(Review.objects.filter(booking=OuterRef("pk"))))
                .select_related("traveller", "unit__lodging", "session__experience").order_by("service_end", "pk"))
    sent = 0
    for booking in bookings[:BATCH]:
        with transaction.atomic():
            _invitation, created = ReviewInvitation.objects.get_or_create(booking=booking,
                                                                          defaults={"invited_at": now})
            if created:
                transaction.on_commit(lambda booking=booking: emails.invitation(booking))
                sent += 1
    return sent


def send_reminders(*, now: datetime) -> int:
    """One reminder, 7 days after the invitation, while the booking has no review and the
    60 days are not over."""
    due = (ReviewInvitation.objects.filter(reminded_at__isnull=True, invited_at__lte=now - REMINDER_AFTER,
                                           booking__status=BookingStatus.CONFIRMED,
                                           booking__service_end__gt=now - REVIEW_WINDOW)
           .exclude(Exists(Review.objects.filter(booking=OuterRef("booking_id"))))
           .select_related("booking__traveller", "booking__unit__lodging", "booking__session__experience"))
    sent = 0
    for invitation in due[:BATCH]:
        with transaction.atomic():
            if ReviewInvitation.objects.filter(pk=invitation.pk, reminded_at__isnull=True).update(reminded_at=now):
                transaction.on_commit(lambda booking=invitation.booking: emails.reminder(booking))
                sent += 1
    return sent


def send_review_invitations(*, now: datetime) -> tuple[int, int]:
    return send_invitations(now=now), send_reminders(now=now)


def pending_for(*, traveller: User, now: datetime) -> Q:
    """The traveller's bookings that could be reviewed now (for "Mes voyages")."""
    return Q(traveller=traveller, status=BookingStatus.CONFIRMED, service_end__lte=now,
             service_end__gt=now - REVIEW_WINDOW, review__isnull=True)
