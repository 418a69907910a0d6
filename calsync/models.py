"""Calendar feeds a unit imports, its secret export link, and double-booking alerts.

The imported nights themselves live in `bookings.ExternalBlock` (bookings answers
availability in one place); calsync writes them and refers to a feed by its id.
"""
import secrets

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bookings.models import Booking
from lodgings.models import Unit


class Platform(models.TextChoices):
    AIRBNB = "airbnb", "Airbnb"
    BOOKING = "booking", "Booking.com"
    ABRITEL = "abritel", "Abritel / VRBO"
    EXPEDIA = "expedia", "Expedia"
    AMENITIZ = "amenitiz", "Amenitiz"
    KE_BOOKING = "kebooking", "KE booking"
    GOOGLE = "google", "Google Agenda"
    OTHER = "other", _("Autre")


class Feed(models.Model):
    """An import feed: a URL another platform publishes with the unit's taken nights."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="calendar_feeds")
    platform = models.CharField(_("plateforme"), max_length=20, choices=Platform.choices, default=Platform.OTHER)
    name = models.CharField(_("nom"), max_length=80, blank=True,
                            help_text=_("Facultatif, par exemple « Airbnb – chambre bleue »."))
    url = models.URLField(_("lien iCal"), max_length=2048)
    # Conditional GET: what the server gave us last time.
    etag = models.CharField(max_length=255, blank=True)
    last_modified = models.CharField(max_length=64, blank=True)
    # Health, shown to the owner and to staff.
    last_attempt_at = models.DateTimeField(_("dernière tentative"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("dernière synchronisation réussie"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    last_status = models.PositiveSmallIntegerField(_("dernier statut HTTP"), null=True, blank=True)
    last_warnings = models.JSONField(default=list, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("échecs consécutifs"), default=0)
    # Stale: failing for CALSYNC_STALE_AFTER_FAILURES runs; the owner is emailed once per episode.
    is_stale = models.BooleanField(_("en panne"), default=False, db_index=True)
    stale_notified_at = models.DateTimeField(null=True, blank=True)
    # Zero-events guard: a sudden empty feed is only believed on the second fetch in a row.
    empty_fetches = models.PositiveSmallIntegerField(default=0)
    last_events_read = models.PositiveIntegerField(_("événements lus"), default=0)
    last_nights_blocked = models.PositiveIntegerField(_("nuits bloquées"), default=0)
    next_run_at = models.DateTimeField(_("prochaine synchronisation"), null=True, blank=True, db_index=True)
    # Lease taken by compare-and-set so one feed is never fetched twice at once.
    sync_started_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit", "created_at", "id"]
        verbose_name = _("calendrier importé")
        verbose_name_plural = _("calendriers importés")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.get_platform_display()


def new_export_token() -> str:
    return secrets.token_urlsafe(24)  # 192 bits


class UnitCalendar(models.Model):
    """The unit's own export link (/ical/<token>.ics); regenerating it kills the old one."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="calendar")
    token = models.CharField(max_length=64, unique=True, default=new_export_token)
    regenerated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lien iCal d'export")
        verbose_name_plural = _("liens iCal d'export")

    def __str__(self) -> str:
        return str(self.unit_id)


class DoubleBookingAlert(models.Model):
    """An imported block overlapping a confirmed Alma Heritage booking: alerted once."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="double_booking_alerts")
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="double_booking_alerts")
    feed = models.ForeignKey(Feed, null=True, on_delete=models.SET_NULL, related_name="alerts")
    source_name = models.CharField(max_length=120)
    block_start = models.DateField()
    block_end = models.DateField()
    block_summary = models.CharField(max_length=255, blank=True)
    detected_at = models.DateTimeField()
    notified_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-detected_at"]
        verbose_name = _("double réservation")
        verbose_name_plural = _("doubles réservations")
        constraints = [
            models.UniqueConstraint(fields=["booking", "feed", "block_start", "block_end"],
                                    name="double_booking_alert_once"),
            models.CheckConstraint(condition=Q(block_end__gt=F("block_start")), name="alert_block_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id} / {self.source_name}"
