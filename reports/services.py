"""The report rules: who may report which booking, the staff workflow (new → in review →
closed with a decision), internal notes, and the "reported" flag. Views and the admin call
these; each state change writes a ReportEvent (who, when) in the same transaction, and the
emails leave once it commits."""
import re
import uuid
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField, Exists, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from bookings.models import Booking, BookingStatus
from core.compiledsql import CompiledQuery
from core.images import clean_uploaded_image

from . import emails
from .models import (
    MAX_PHOTOS,
    OPEN_STATUSES,
    TEXT_MAX,
    ReportCategory,
    ReportDecision,
    ReportEvent,
    ReportNote,
    ReportPhoto,
    ReportStatus,
    TravellerReport,
)

# A booking whose traveller the owner met or dealt with: paid, or cancelled after payment.
REPORTABLE_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.CANCELLED)
PHOTO_MAX_SIDE = 1600  # what staff need to see damage; the largest offer photo size too
# Control characters other than tab and newlines: invisible, and refused by some mail servers.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ReportError(Exception):
    """An expected refusal, with a message for the person who asked (translatable)."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def clean_text(text: str) -> str:
    """Plain text as written (shown escaped, so HTML stays inert), control characters out."""
    text = CONTROL_CHARACTERS.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if len(text) > TEXT_MAX:
        raise ReportError(_("Le texte dépasse %(n)s caractères.") % {"n": TEXT_MAX})
    return text


# --- The flag ------------------------------------------------------------------------------

def flagging() -> Q:
    """Reports that flag their traveller: still open, or upheld by staff."""
    return Q(status__in=OPEN_STATUSES) | Q(decision=ReportDecision.UPHELD)


def traveller_flagged(traveller_ref) -> Exists:
    """For staff lists: `annotate(reported=traveller_flagged(OuterRef("pk")))`, one subquery."""
    return Exists(TravellerReport.objects.filter(flagging(), traveller_id=traveller_ref))


def is_flagged(traveller: User) -> bool:
    return TravellerReport.objects.filter(flagging(), traveller=traveller).exists()


def bookings_reported_by(*, owner: User, booking_ids) -> set[int]:
    """Of these bookings, those `owner` reported and whose report still flags the traveller
    («  signalé à l'équipe » on the owner's own booking; never another owner's reports)."""
    booking_ids = list(booking_ids)
    if not booking_ids:
        return set()
    if connection.vendor == "postgresql":  # `booking_id = ANY(%s)`: one SQL whatever the number of ids
        return {booking_id for (booking_id,) in _REPORTED_AMONG(owner.pk, booking_ids)}
    return set(TravellerReport.objects.filter(flagging(), owner=owner, booking_id__in=booking_ids)
               .values_list("booking_id", flat=True))


def _reported_among(owner_id, booking_ids):
    among = RawSQL(f'"{TravellerReport._meta.db_table}"."booking_id" = ANY(%s)', (booking_ids,),
                   output_field=BooleanField())
    return (TravellerReport.objects.filter(flagging(), among, owner_id=owner_id).order_by()
            .values_list("booking_id"))


# Built by the ORM once per process (the list's rows ask it on every page, issue 14).
_REPORTED_AMONG = CompiledQuery(_reported_among, sentinels=(-7_301_405, [-7_301_406]),
                               constants=(*OPEN_STATUSES, ReportDecision.UPHELD))  # flagging()'s


# --- The owner's report --------------------------------------------------------------------

def open_report(booking: Booking) -> TravellerReport | None:
    return TravellerReport.objects.filter(booking=booking, status__in=OPEN_STATUSES).first()


def report_problem(*, booking: Booking) -> str | None:
    """Why this booking cannot be reported now, or None. Whose booking it is is the views'
    check (somebody else's booking is a 404, never an explanation)."""
    if booking.status not in REPORTABLE_STATUSES:
        return _("Seule une réservation payée (confirmée, ou annulée après paiement) peut donner lieu à un "
                 "signalement.")
    if open_report(booking) is not None:
        return _("Un signalement est déjà en cours pour cette réservation : l'équipe l'examine et vous répond "
                 "par e-mail. Un seul signalement à la fois par réservation.")
    return None


def file_report(*, booking: Booking, by: User, category: str, description: str, photos: list,
                now: datetime) -> TravellerReport:
    """The owner reports the traveller of their booking, with up to MAX_PHOTOS photos, each
    checked and re-encoded like the offer photos (core.images: no EXIF, no hidden payload)."""
    if by.pk != booking.owner_id:
        raise ReportError(_("Seul le propriétaire de cette réservation peut signaler le voyageur."))
    if category not in ReportCategory.values:
        raise ReportError(_("Choisissez une catégorie."))
    description = clean_text(description)
    if not description:
        raise ReportError(_("Décrivez ce qui s'est passé."))
    if len(photos) > MAX_PHOTOS:
        raise ReportError(_("%(n)s photos au plus.") % {"n": MAX_PHOTOS})
    problem = report_problem(booking=booking)
    if problem:
        raise ReportError(problem)
    try:
        images = [clean_uploaded_image(photo, max_side=PHOTO_MAX_SIDE, name=uuid.uuid4().hex) for photo in photos]
    except ValidationError as error:
        raise ReportError(error.messages[0]) from None
    try:
        with transaction.atomic():
            report = TravellerReport.objects.create(
                booking=booking, owner_id=booking.owner_id, traveller_id=booking.traveller_id, category=category,
                description=description, created_at=now)
            _event(report, "", ReportStatus.NEW, actor=by, now=now)
            for position, image in enumerate(images, start=1):
                photo = ReportPhoto(report=report, position=position)
                photo.image.save(image.name, image, save=False)
                photo.save()
            transaction.on_commit(lambda: emails.report_filed(report))
    except IntegrityError:  # two submissions at once: the open-report constraint keeps one
        raise ReportError(_("Un signalement est déjà en cours pour cette réservation.")) from None
    return report


def owner_reports(*, owner: User) -> QuerySet[TravellerReport]:
    """The owner's reports, newest first, with what the list shows (one query per page)."""
    return (TravellerReport.objects.filter(owner=owner)
            .select_related("booking__traveller", "booking__unit__lodging", "booking__session__experience")
            .order_by("-created_at", "-id"))


# --- Staff ---------------------------------------------------------------------------------

def _event(report: TravellerReport, from_status: str, to_status: str, *, actor: User | None, now: datetime) -> None:
    ReportEvent.objects.create(report=report, from_status=from_status, to_status=to_status, actor=actor,
                               created_at=now)


def start_review(*, report: TravellerReport, by: User, now: datetime) -> None:
    """A staff member takes a new report in hand."""
    with transaction.atomic():
        # Compare-and-set: of two staff members clicking at once, one takes it.
        if not TravellerReport.objects.filter(pk=report.pk, status=ReportStatus.NEW).update(
                status=ReportStatus.IN_REVIEW):
            raise ReportError(_("Ce signalement n'est plus nouveau : quelqu'un l'a déjà pris en charge."))
        report.status = ReportStatus.IN_REVIEW
        _event(report, ReportStatus.NEW, ReportStatus.IN_REVIEW, actor=by, now=now)


def add_note(*, report: TravellerReport, by: User, text: str, now: datetime) -> ReportNote:
    text = clean_text(text)
    if not text:
        raise ReportError(_("La note est vide."))
    return ReportNote.objects.create(report=report, author=by, text=text, created_at=now)


def close_report(*, report: TravellerReport, by: User, decision: str, text: str, now: datetime) -> None:
    """Staff decide (upheld or not) with a text the owner receives by email, in their language."""
    if decision not in ReportDecision.values:
        raise ReportError(_("Choisissez la décision : signalement retenu ou non retenu."))
    text = clean_text(text)
    if not text:
        raise ReportError(_("Rédigez la décision : elle est envoyée au propriétaire."))
    with transaction.atomic():
        previous = TravellerReport.objects.select_for_update().filter(pk=report.pk).values_list(
            "status", flat=True).first()
        if previous not in OPEN_STATUSES:
            raise ReportError(_("Ce signalement est déjà clos."))
        TravellerReport.objects.filter(pk=report.pk).update(
            status=ReportStatus.CLOSED, decision=decision, decision_text=text, decided_by=by, decided_at=now)
        report.status, report.decision, report.decision_text = ReportStatus.CLOSED, decision, text
        report.decided_by, report.decided_at = by, now
        _event(report, previous, ReportStatus.CLOSED, actor=by, now=now)
        transaction.on_commit(lambda: emails.report_decided(report))


# --- For the data export (privacy) ----------------------------------------------------------

def reports_made_by(user: User) -> list[dict]:
    """The reports `user` filed as an owner, as plain data for their export: what they wrote
    and what they were told (never staff's internal notes, nor the photos' storage names)."""
    reports = (TravellerReport.objects.filter(owner=user).select_related("booking")
               .prefetch_related("photos").order_by("created_at", "id"))
    return [{
        "booking": report.booking.reference,
        "category": report.category,
        "description": report.description,
        "photos": len(report.photos.all()),
        "status": report.status,
        "decision": report.decision,
        "decision_text": report.decision_text,
        "created_at": report.created_at.isoformat(),
        "decided_at": report.decided_at.isoformat() if report.decided_at else None,
    } for report in reports]
