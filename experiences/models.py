from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.text import write_keys
from domains.models import BookingMode, Domain, ModeratedOffer, OfferPhoto


class Category(models.TextChoices):
    VISIT = "visit", _("Visite")
    WORKSHOP = "workshop", _("Atelier")
    TASTING = "tasting", _("Dégustation")
    COOKING = "cooking", _("Cours de cuisine")
    CONCERT = "concert", _("Concert")
    RESTORATION = "restoration", _("Chantier de restauration bénévole")
    OTHER = "other", _("Autre")


class Experience(ModeratedOffer):
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="experiences")
    title = models.CharField(_("titre"), max_length=160)
    # English texts are optional (empty: English pages show the French, marked lang="fr").
    title_en = models.CharField(_("titre (anglais)"), max_length=160, blank=True)
    title_key = models.CharField(max_length=160, blank=True, editable=False)  # core.text.search_key(title)
    slug = models.SlugField(max_length=180, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    description_en = models.TextField(_("description (anglais)"), blank=True, max_length=5000)
    category = models.CharField(_("catégorie"), max_length=20, choices=Category.choices)
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=120,
                                                        validators=[MinValueValidator(15)])
    capacity = models.PositiveSmallIntegerField(_("places par séance"), default=10, validators=[MinValueValidator(1)])
    min_participants = models.PositiveSmallIntegerField(_("participants minimum"), default=1,
                                                        validators=[MinValueValidator(1)])
    price_per_person = models.DecimalField(_("prix par personne"), max_digits=10, decimal_places=2,
                                           validators=[MinValueValidator(Decimal("0"))])
    child_price = models.DecimalField(_("prix enfant"), max_digits=10, decimal_places=2, null=True, blank=True,
                                      validators=[MinValueValidator(Decimal("0"))])
    languages = models.CharField(_("langues"), max_length=60, default="fr",
                                 help_text=_("Codes séparés par des virgules, par exemple fr,en."))
    meeting_point = models.CharField(_("point de rendez-vous"), max_length=200, blank=True)
    booking_mode = models.CharField(_("réservations"), max_length=10, choices=BookingMode.choices,
                                    default=BookingMode.REQUEST)
    # Step "Conditions > Annulations".
    full_refund_hours = models.PositiveIntegerField(_("remboursement intégral jusqu'à (heures avant le début)"),
                                                    default=48)
    late_refund_percent = models.PositiveSmallIntegerField(_("remboursement après ce délai (%)"), default=0,
                                                           validators=[MaxValueValidator(100)])

    class Meta:
        ordering = ["domain", "title"]
        verbose_name = _("expérience")
        verbose_name_plural = _("expériences")
        constraints = [
            models.CheckConstraint(condition=Q(price_per_person__gte=0), name="experience_price_not_negative"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="experience_capacity_positive"),
            models.CheckConstraint(condition=Q(min_participants__lte=F("capacity")),
                                   name="experience_min_participants_within_capacity"),
            models.CheckConstraint(condition=Q(late_refund_percent__lte=100), name="experience_late_refund_percent"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        write_keys(self, {"title_key": "title"}, kwargs)
        super().save(*args, **kwargs)


class Period(models.Model):
    """Période de l'exercice: dates [start_date, end_date] inclusive of both days as the
    owner picks them, weekdays (ISO, "67" = Saturday and Sunday) and start times."""

    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="periods")
    start_date = models.DateField(_("du"))
    end_date = models.DateField(_("au"))
    weekdays = models.CharField(_("jours de la semaine"), max_length=7)
    start_times = models.JSONField(_("créneaux"), default=list, help_text=_('Heures de début, par exemple ["15:00", "17:00"].'))

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("période de l'exercice")
        verbose_name_plural = _("périodes de l'exercice")
        constraints = [models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="period_dates_ordered")]

    def __str__(self) -> str:
        return _("Du %(start)s au %(end)s") % {"start": date_format(self.start_date),
                                              "end": date_format(self.end_date)}


class Session(models.Model):
    """One dated occurrence of an experience, generated from its periods. Times in UTC."""

    experience = models.ForeignKey(Experience, on_delete=models.PROTECT, related_name="sessions")
    # A session that holds bookings outlives the period that generated it.
    period = models.ForeignKey(Period, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions")
    start = models.DateTimeField(_("début"), db_index=True)
    end = models.DateTimeField(_("fin"))
    capacity = models.PositiveSmallIntegerField(_("places"))
    places_taken = models.PositiveSmallIntegerField(_("places prises"), default=0)
    is_active = models.BooleanField(_("proposée"), default=True)

    class Meta:
        ordering = ["start"]
        verbose_name = _("séance")
        verbose_name_plural = _("séances")
        constraints = [
            models.UniqueConstraint(fields=["experience", "start"], name="session_once_per_start"),
            # Never more places sold than the session holds.
            models.CheckConstraint(condition=Q(places_taken__lte=F("capacity")), name="session_not_overbooked"),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="session_times_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.experience.title} – {self.start:%Y-%m-%d %H:%M}"

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.places_taken, 0)


class ExperiencePhoto(OfferPhoto):
    experience = models.ForeignKey(Experience, on_delete=models.CASCADE, related_name="photos")

    class Meta(OfferPhoto.Meta):
        verbose_name = _("photo de l'expérience")
        verbose_name_plural = _("photos de l'expérience")
