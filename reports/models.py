"""Traveller reports ("Signalement comportement voyageur"): an owner reports the traveller of
one of their bookings to staff, with photos; staff take it in hand, write internal notes and
close it with a decision the owner receives by email. The rules are in reports/services.py."""
import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bookings.models import Booking

TEXT_MAX = 2000
MAX_PHOTOS = 5


def private_storage():
    """Never MEDIA_ROOT: the web server serves that to anyone (settings.PRIVATE_MEDIA_ROOT)."""
    return storages["private"]


def photo_path(photo: "ReportPhoto", filename: str) -> str:
    # A random name in a per-report folder: served only by the staff view (reports/admin.py).
    return f"reports/{photo.report_id}/{uuid.uuid4().hex}.jpg"


class ReportCategory(models.TextChoices):
    DAMAGE = "damage", _("Dégradation")
    BEHAVIOUR = "behaviour", _("Comportement")
    RULES = "rules", _("Non-respect du règlement")
    OTHER = "other", _("Autre")


class ReportStatus(models.TextChoices):
    NEW = "new", _("Nouveau")  # waiting in the staff queue
    IN_REVIEW = "in_review", _("En cours d'examen")  # a staff member took it in hand
    CLOSED = "closed", _("Clos")  # decided; the owner got the decision by email


OPEN_STATUSES = (ReportStatus.NEW, ReportStatus.IN_REVIEW)


class ReportDecision(models.TextChoices):
    UPHELD = "upheld", _("Signalement retenu")
    NOT_UPHELD = "not_upheld", _("Signalement non retenu")


class TravellerReport(models.Model):
    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="traveller_reports",
                                verbose_name=_("réservation"))
    # Denormalised from the booking: the queue, the flags and the owner's list each filter on one column.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reports_made",
                              verbose_name=_("propriétaire"))
    traveller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="reports_received", verbose_name=_("voyageur"))
    category = models.CharField(_("catégorie"), max_length=20, choices=ReportCategory.choices)
    description = models.TextField(_("description"), max_length=TEXT_MAX)
    status = models.CharField(_("statut"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.NEW)
    decision = models.CharField(_("décision"), max_length=12, choices=ReportDecision.choices, blank=True)
    decision_text = models.TextField(_("décision motivée (envoyée au propriétaire)"), max_length=TEXT_MAX,
                                     blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("décidé par"))
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    created_at = models.DateTimeField(_("déposé le"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("signalement voyageur")
        verbose_name_plural = _("signalements voyageurs")
        constraints = [
            # One report at a time per booking: a second one while staff examine the first is refused.
            models.UniqueConstraint(fields=["booking"], condition=Q(status__in=["new", "in_review"]),
                                    name="report_one_open_per_booking"),
            # Closed ⇔ decided: a decision without its text, or an open report with one, cannot be stored.
            models.CheckConstraint(condition=Q(status="closed", decided_at__isnull=False) & ~Q(decision="")
                                   & ~Q(decision_text="")
                                   | Q(status__in=["new", "in_review"], decision="", decided_at__isnull=True),
                                   name="report_closed_iff_decided"),
        ]
        indexes = [
            models.Index(fields=["owner", "created_at"], name="report_owner_list"),
            models.Index(fields=["traveller", "status", "decision"], name="report_traveller_flag"),
            models.Index(fields=["status", "created_at"], name="report_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.booking.reference} · {self.get_category_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def flags_traveller(self) -> bool:
        """Open or upheld: the traveller shows as reported (to staff, and on this booking to its owner)."""
        return self.is_open or self.decision == ReportDecision.UPHELD


class ReportPhoto(models.Model):
    """A photo the owner joined, re-encoded (no EXIF) and kept out of public media."""

    report = models.ForeignKey(TravellerReport, on_delete=models.CASCADE, related_name="photos",
                               verbose_name=_("signalement"))
    image = models.ImageField(_("photo"), upload_to=photo_path, storage=private_storage, max_length=200)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("photo de signalement")
        verbose_name_plural = _("photos de signalement")
        constraints = [
            models.UniqueConstraint(fields=["report", "position"], name="report_photo_position_unique"),
            models.CheckConstraint(condition=Q(position__gte=1, position__lte=MAX_PHOTOS),
                                   name="report_photo_at_most_5"),
        ]

    def __str__(self) -> str:
        return _("Photo %(n)s") % {"n": self.position}


class ReportNote(models.Model):
    """An internal note of staff: never shown to the owner nor the traveller."""

    report = models.ForeignKey(TravellerReport, on_delete=models.CASCADE, related_name="notes",
                               verbose_name=_("signalement"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("auteur"))
    text = models.TextField(_("note"), max_length=TEXT_MAX)
    created_at = models.DateTimeField(_("écrite le"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("note interne")
        verbose_name_plural = _("notes internes")

    def __str__(self) -> str:
        return self.text[:60]


class ReportEvent(models.Model):
    """One state change of a report: from → to, who, when (the history staff and owner read)."""

    report = models.ForeignKey(TravellerReport, on_delete=models.CASCADE, related_name="events",
                               verbose_name=_("signalement"))
    from_status = models.CharField(_("ancien statut"), max_length=10, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(_("nouveau statut"), max_length=10, choices=ReportStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("par"))
    created_at = models.DateTimeField(_("le"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("changement de statut")
        verbose_name_plural = _("historique des signalements")

    def __str__(self) -> str:
        return f"{self.get_from_status_display() or '—'} → {self.get_to_status_display()}"
