from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.text import write_keys
from domains.models import BookingMode, Domain, ModeratedOffer, OfferPhoto


class LodgingKind(models.TextChoices):
    GITE = "gite", _("Gîte (le lieu entier)")
    CHAMBRES_HOTES = "chambres_hotes", _("Chambres d'hôtes")


class TaxClassification(models.TextChoices):
    """What the taxe de séjour tariff depends on (CGCT art. L2333-30): the official
    classification of the lodging, or none (then a percentage of the price: touristtax)."""
    NON_CLASSE = "non_classe", _("Non classé (ou en attente de classement)")
    STARS_1 = "1", _("Meublé de tourisme 1 étoile")
    STARS_2 = "2", _("Meublé de tourisme 2 étoiles")
    STARS_3 = "3", _("Meublé de tourisme 3 étoiles")
    STARS_4 = "4", _("Meublé de tourisme 4 étoiles")
    STARS_5 = "5", _("Meublé de tourisme 5 étoiles")
    CHAMBRES_HOTES = "chambres_hotes", _("Chambres d'hôtes")


# The commune's code in the Code officiel géographique: five digits, or 2A/2B + three digits
# (Corsica). Not the postal code (Saumur: INSEE 49328, postal 49400).
INSEE_CODE_PATTERN = r"^(\d{5}|2[AB]\d{3})$"
insee_code_validator = RegexValidator(
    INSEE_CODE_PATTERN, _("Un code INSEE a 5 caractères : 5 chiffres, ou 2A / 2B suivis de 3 chiffres (Corse)."))


class Amenity(models.Model):
    """Something a lodging offers (Wi-Fi, parc, piscine…); a table so search can filter."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(_("nom"), max_length=80)
    # Staff-edited data, not code: its English lives beside it (empty: the French is shown).
    name_en = models.CharField(_("nom (anglais)"), max_length=80, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("équipement")
        verbose_name_plural = _("équipements")

    def __str__(self) -> str:
        return self.name_in(get_language())

    def name_in(self, language: str | None) -> str:
        return self.name_en if (language or "").startswith("en") and self.name_en else self.name


# Weekdays as ISO numbers in a string ("1234567" = every day, Monday = 1).
ALL_WEEKDAYS = "1234567"


class Lodging(ModeratedOffer):
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="lodgings")
    kind = models.CharField(_("type d'hébergement"), max_length=20, choices=LodgingKind.choices)
    title = models.CharField(_("titre"), max_length=160)
    # English texts are optional (empty: English pages show the French, marked lang="fr").
    title_en = models.CharField(_("titre (anglais)"), max_length=160, blank=True)
    title_key = models.CharField(max_length=160, blank=True, editable=False)  # core.text.search_key(title)
    slug = models.SlugField(max_length=180, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    description_en = models.TextField(_("description (anglais)"), blank=True, max_length=5000)
    amenities = models.ManyToManyField(Amenity, blank=True, related_name="lodgings", verbose_name=_("équipements"))
    accessibility_notes = models.TextField(
        _("accessibilité"), blank=True, max_length=2000,
        help_text=_("Ce qui compte dans un bâtiment ancien : escaliers, absence d'ascenseur, saison de chauffe…"))
    cleaning_fee = models.DecimalField(_("frais de ménage"), max_digits=10, decimal_places=2, default=Decimal("0"),
                                       validators=[MinValueValidator(Decimal("0"))])
    min_nights = models.PositiveSmallIntegerField(_("nombre de nuits minimum"), default=1,
                                                  validators=[MinValueValidator(1)])
    max_nights = models.PositiveSmallIntegerField(_("nombre de nuits maximum"), default=30,
                                                  validators=[MinValueValidator(1)])
    arrival_weekdays = models.CharField(_("jours d'arrivée possibles"), max_length=7, default=ALL_WEEKDAYS)
    departure_weekdays = models.CharField(_("jours de départ possibles"), max_length=7, default=ALL_WEEKDAYS)
    checkin_time = models.TimeField(_("arrivée à partir de"), null=True, blank=True)
    checkout_time = models.TimeField(_("départ avant"), null=True, blank=True)
    advance_notice_days = models.PositiveSmallIntegerField(_("délai de réservation (jours avant l'arrivée)"),
                                                           default=1)
    booking_mode = models.CharField(_("réservations"), max_length=10, choices=BookingMode.choices,
                                    default=BookingMode.REQUEST)
    # Step "Option": cancelling before the deadline is refunded 100 %, after it the late percentage.
    full_refund_days = models.PositiveSmallIntegerField(_("remboursement intégral jusqu'à (jours avant l'arrivée)"),
                                                        default=14)
    late_refund_percent = models.PositiveSmallIntegerField(_("remboursement après ce délai (%)"), default=0,
                                                           validators=[MaxValueValidator(100)])
    house_rules = models.TextField(_("règlement intérieur"), blank=True, max_length=5000)
    house_rules_en = models.TextField(_("règlement intérieur (anglais)"), blank=True, max_length=5000)
    deposit_amount = models.DecimalField(_("dépôt de garantie"), max_digits=10, decimal_places=2,
                                         default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))])
    deposit_terms = models.CharField(
        _("modalités du dépôt de garantie"), max_length=300, blank=True,
        help_text=_("Alma Heritage ne collecte pas le dépôt : indiquez comment vous le demandez sur place."))
    # Taxe de séjour (touristtax): where the lodging is, how it is classified, and who collects.
    commune_insee = models.CharField(
        _("code INSEE de la commune"), max_length=5, blank=True, validators=[insee_code_validator],
        help_text=_("Le code officiel de la commune (5 caractères), différent du code postal : "
                    "par exemple 49328 pour Saumur."))
    tax_classification = models.CharField(_("classement"), max_length=20, choices=TaxClassification.choices,
                                          default=TaxClassification.NON_CLASSE)
    host_is_professional = models.BooleanField(
        _("je suis un professionnel et je collecte moi-même la taxe de séjour"), default=False,
        help_text=_("Sinon (particulier), Alma Heritage collecte la taxe de séjour avec le paiement et la "
                    "reverse à la commune, comme la loi l'impose aux plateformes."))

    class Meta:
        ordering = ["domain", "title"]
        verbose_name = _("hébergement")
        verbose_name_plural = _("hébergements")
        constraints = [
            models.CheckConstraint(condition=Q(cleaning_fee__gte=0) & Q(deposit_amount__gte=0),
                                   name="lodging_fees_not_negative"),
            models.CheckConstraint(condition=Q(max_nights__gte=F("min_nights")), name="lodging_nights_range"),
            models.CheckConstraint(condition=Q(late_refund_percent__lte=100), name="lodging_late_refund_percent"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        write_keys(self, {"title_key": "title"}, kwargs)
        super().save(*args, **kwargs)


class Unit(models.Model):
    """The bookable thing: a room of chambres d'hôtes, or the whole gîte. Bookings,
    availability and iCal attach to a unit."""

    lodging = models.ForeignKey(Lodging, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("nom"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    adults_capacity = models.PositiveSmallIntegerField(_("adultes"), default=2, validators=[MinValueValidator(1)])
    children_capacity = models.PositiveSmallIntegerField(_("enfants"), default=0)
    beds = models.CharField(_("couchages"), max_length=200, blank=True,
                            help_text=_("Par exemple : 1 lit double 160, 1 lit bébé."))
    nightly_price = models.DecimalField(_("prix par nuit"), max_digits=10, decimal_places=2,
                                        validators=[MinValueValidator(Decimal("1"))])
    is_active = models.BooleanField(_("proposée à la réservation"), default=True)
    # Search columns kept on the unit so one composite index serves filter + sort
    # (docs/development.md#measure): refreshed by `lodgings.services.refresh_search_columns`.
    is_listed = models.BooleanField(default=False, editable=False)
    region = models.CharField(max_length=40, blank=True, editable=False)
    max_guests = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["lodging", "position", "id"]
        verbose_name = _("chambre ou gîte")
        verbose_name_plural = _("chambres et gîtes")
        constraints = [
            models.CheckConstraint(condition=Q(nightly_price__gt=0), name="unit_price_positive"),
            models.CheckConstraint(condition=Q(adults_capacity__gte=1), name="unit_capacity_positive"),
        ]
        indexes = [models.Index(fields=["is_listed", "region", "nightly_price", "id"], name="unit_search")]

    def __str__(self) -> str:
        return f"{self.lodging.title} – {self.name}" if self.lodging.kind == LodgingKind.CHAMBRES_HOTES else self.name

    @property
    def capacity(self) -> int:
        return self.adults_capacity + self.children_capacity


class Suspension(models.Model):
    """The owner hides a lodging for [start, end): unbookable and absent from search."""

    lodging = models.ForeignKey(Lodging, on_delete=models.CASCADE, related_name="suspensions")
    start = models.DateField(_("du"))
    end = models.DateField(_("au (exclu)"))
    reason = models.CharField(_("motif (privé)"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start"]
        verbose_name = _("suspension de visibilité")
        verbose_name_plural = _("suspensions de visibilité")
        constraints = [models.CheckConstraint(condition=Q(end__gt=F("start")), name="suspension_dates_ordered")]

    def __str__(self) -> str:
        return _("Du %(start)s au %(end)s (exclu)") % {"start": date_format(self.start), "end": date_format(self.end)}


class LodgingPhoto(OfferPhoto):
    lodging = models.ForeignKey(Lodging, on_delete=models.CASCADE, related_name="photos")

    class Meta(OfferPhoto.Meta):
        verbose_name = _("photo de l'hébergement")
        verbose_name_plural = _("photos de l'hébergement")
