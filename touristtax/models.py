"""The taxe de séjour (docs/tourist-tax.md): communes, their tariffs with validity dates, and
the tax frozen on each stay when it is booked.

This app sits below `bookings` (bookings asks it for the tax of a stay and shows it in the
price breakdown) and above `lodgings` (the lodging carries its commune, classification and
whether the host is a professional). `BookingTax` points at the booking by a string reference,
so nothing here imports bookings."""
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lodgings.models import Lodging, TaxClassification, insee_code_validator


class Commune(models.Model):
    """A commune (or the EPCI that votes its tariffs) whose tax the platform collects and remits."""

    insee_code = models.CharField(_("code INSEE"), max_length=5, unique=True, validators=[insee_code_validator])
    name = models.CharField(_("nom"), max_length=120, blank=True)
    departement = models.CharField(_("département"), max_length=3, blank=True)

    class Meta:
        ordering = ["name", "insee_code"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self) -> str:
        return f"{self.name or '?'} ({self.insee_code})"


class Tariff(models.Model):
    """What a commune votes for one category, valid on [valid_from, valid_until).

    Classified lodgings: a fixed amount per person and per night. Non-classified ones: a
    percentage (1 to 5 %) of the price per person and per night, within a cap (blank: the
    highest tariff the commune adopted for its categories). The additional taxes (the
    département's 10 %, a region's, e.g. Île-de-France 200 %) are percentages of that amount."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="tariffs", verbose_name=_("commune"))
    category = models.CharField(_("catégorie"), max_length=20, choices=TaxClassification.choices)
    valid_from = models.DateField(_("en vigueur du"))
    valid_until = models.DateField(_("au (exclu)"), null=True, blank=True,
                                   help_text=_("Vide : jusqu'à nouvel ordre."))
    per_person_night = models.DecimalField(_("tarif par personne et par nuit"), max_digits=6, decimal_places=2,
                                           null=True, blank=True, validators=[MinValueValidator(Decimal("0"))],
                                           help_text=_("Hébergements classés : hors taxes additionnelles."))
    rate_percent = models.DecimalField(_("taux (non classés, %)"), max_digits=5, decimal_places=2, null=True,
                                       blank=True, validators=[MinValueValidator(Decimal("0")),
                                                               MaxValueValidator(Decimal("5"))],
                                       help_text=_("Entre 1 et 5 (%) du coût par personne de la nuitée."))
    cap = models.DecimalField(_("plafond (non classés)"), max_digits=6, decimal_places=2, null=True, blank=True,
                              validators=[MinValueValidator(Decimal("0"))],
                              help_text=_("Vide : le tarif le plus élevé adopté par la commune pour ses catégories."))
    departmental_rate = models.DecimalField(_("taxe additionnelle départementale (%)"), max_digits=5,
                                            decimal_places=2, default=Decimal("10"),
                                            validators=[MinValueValidator(Decimal("0")),
                                                        MaxValueValidator(Decimal("10"))])
    regional_rate = models.DecimalField(_("taxe additionnelle régionale (%)"), max_digits=5, decimal_places=2,
                                        default=Decimal("0"), validators=[MinValueValidator(Decimal("0")),
                                                                         MaxValueValidator(Decimal("200"))],
                                        help_text=_("Par exemple 200 (%) en Île-de-France ; 0 ailleurs."))
    source = models.CharField(_("source"), max_length=300, blank=True,
                              help_text=_("La délibération ou la page publiée d'où vient le tarif."))

    class Meta:
        ordering = ["commune", "category", "-valid_from"]
        verbose_name = _("tarif")
        verbose_name_plural = _("tarifs")
        constraints = [
            models.UniqueConstraint(fields=["commune", "category", "valid_from"], name="tariff_one_per_start"),
            models.CheckConstraint(condition=Q(valid_until__isnull=True) | Q(valid_until__gt=F("valid_from")),
                                   name="tariff_dates_ordered"),
            models.CheckConstraint(
                condition=(Q(category="non_classe", rate_percent__isnull=False)
                           | (~Q(category="non_classe") & Q(per_person_night__isnull=False))),
                name="tariff_amount_for_its_category"),
            models.CheckConstraint(condition=Q(per_person_night__gte=0) | Q(per_person_night__isnull=True),
                                   name="tariff_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.commune} · {self.get_category_display()} · {self.valid_from:%d/%m/%Y}"

    def clean(self) -> None:
        errors = {}
        if self.category == TaxClassification.NON_CLASSE and self.rate_percent is None:
            errors["rate_percent"] = _("Un tarif « non classé » est un pourcentage.")
        if self.category and self.category != TaxClassification.NON_CLASSE and self.per_person_night is None:
            errors["per_person_night"] = _("Indiquez le tarif par personne et par nuit de cette catégorie.")
        if self.valid_until and self.valid_from and self.valid_until <= self.valid_from:
            errors["valid_until"] = _("La fin doit suivre le début.")
        if not errors and self.commune_id and self.category and self.valid_from:
            overlapping = Tariff.objects.filter(commune_id=self.commune_id, category=self.category).exclude(pk=self.pk)
            overlapping = overlapping.filter(Q(valid_until__isnull=True) | Q(valid_until__gt=self.valid_from))
            if self.valid_until:
                overlapping = overlapping.filter(valid_from__lt=self.valid_until)
            if overlapping.exists():
                errors["valid_from"] = _("Un autre tarif de cette catégorie est déjà en vigueur sur ces dates.")
        if errors:
            raise ValidationError(errors)


class TaxStatus(models.TextChoices):
    COLLECTED = "collected", _("Collectée par Alma Heritage")
    HOST_COLLECTS = "host_collects", _("Collectée par l'hôte (professionnel)")
    NO_TARIFF = "no_tariff", _("Tarif manquant : non collectée")


class BookingTax(models.Model):
    """The tax of one stay, frozen when it is booked (the traveller saw this amount): the
    tariff applied, the nights and the adults taxed. What was really kept after refunds is in
    the payouts ledger (account tourist_tax_payable), which the declaration reads."""

    booking = models.OneToOneField("bookings.Booking", on_delete=models.CASCADE, related_name="tourist_tax")
    lodging = models.ForeignKey(Lodging, on_delete=models.PROTECT, related_name="booking_taxes")
    commune = models.ForeignKey(Commune, null=True, blank=True, on_delete=models.PROTECT, related_name="booking_taxes")
    tariff = models.ForeignKey(Tariff, null=True, blank=True, on_delete=models.SET_NULL, related_name="booking_taxes")
    insee_code = models.CharField(max_length=5, blank=True)
    category = models.CharField(max_length=20, choices=TaxClassification.choices)
    status = models.CharField(_("statut"), max_length=20, choices=TaxStatus.choices, db_index=True)
    nights = models.PositiveSmallIntegerField(_("nuits"))
    adults = models.PositiveSmallIntegerField(_("adultes taxés"))
    occupants = models.PositiveSmallIntegerField(_("occupants"))
    nightly_price = models.DecimalField(max_digits=10, decimal_places=2)
    communal_per_night = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0"))
    departmental_per_night = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0"))
    regional_per_night = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0"))
    per_adult_night = models.DecimalField(_("tarif par adulte et par nuit"), max_digits=8, decimal_places=2,
                                          default=Decimal("0"))
    amount = models.DecimalField(_("montant"), max_digits=10, decimal_places=2, default=Decimal("0"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("taxe de séjour d'une réservation")
        verbose_name_plural = _("taxes de séjour des réservations")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="booking_tax_not_negative"),
            models.CheckConstraint(condition=Q(amount=0) | Q(status="collected"), name="booking_tax_only_if_collected"),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id} · {self.amount}"


class TaxAlert(models.Model):
    """Staff were told once that the tax of stays at `key` could not be computed (a commune
    code with no tariff in force, or a lodging without a commune)."""

    key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key


class Remittance(models.Model):
    """Staff paid a commune its tax for a half-year (the declaration's total when recorded)."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="remittances",
                                verbose_name=_("commune"))
    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période (exclue)"))
    amount = models.DecimalField(_("montant reversé"), max_digits=12, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0"))])
    remitted_on = models.DateField(_("reversé le"))
    reference = models.CharField(_("référence du virement"), max_length=120)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "commune"]
        verbose_name = _("reversement à une commune")
        verbose_name_plural = _("reversements aux communes")
        constraints = [
            models.UniqueConstraint(fields=["commune", "period_start"], name="remittance_once_per_period"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="remittance_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.commune} · {self.period_start:%m/%Y} · {self.amount}"
