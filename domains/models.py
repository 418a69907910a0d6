import re

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import write_keys

from .geography import Region

MERIMEE_RE = re.compile(r"^PA\d{8}$")


def validate_merimee(value: str) -> None:
    """Mérimée references of protected monuments: 'PA' followed by 8 digits (PA00097151)."""
    if value and not MERIMEE_RE.match(value):
        raise ValidationError(_("Une référence Mérimée s'écrit PA suivi de 8 chiffres, par exemple PA00097151."),
                              code="merimee")


# --- What every offer (domain, lodging, experience) carries -------------------------------

class OfferStatus(models.TextChoices):
    """draft → submitted → published | rejected(reason); the workflow is `domains.moderation`.
    Editing a published offer stores a pending `Revision`: the validated version stays online."""

    DRAFT = "draft", _("Brouillon")  # being written by its owner, invisible to the public
    SUBMITTED = "submitted", _("Soumis")  # waiting for staff validation (2 business days)
    PUBLISHED = "published", _("Publié")  # validated: visible and bookable
    REJECTED = "rejected", _("Refusé")  # sent back with the staff's reason; the owner may fix and resubmit


class BookingMode(models.TextChoices):
    """How lodgings and experiences take bookings (the owner's choice, step "Option")."""

    REQUEST = "request", _("Soumises à confirmation")  # the owner has 3 days to accept each request
    INSTANT = "instant", _("Instantanées")  # the traveller pays at once


class ModeratedOffer(models.Model):
    """Fields every offer carries for moderation."""

    status = models.CharField(_("statut"), max_length=12, choices=OfferStatus.choices, default=OfferStatus.DRAFT,
                              db_index=True)
    submitted_at = models.DateTimeField(_("soumis le"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("examiné le"), null=True, blank=True)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    rejection_reason = models.TextField(_("motif du refus"), blank=True, max_length=2000)
    # The furthest wizard step the owner has saved, for "Continue submission".
    wizard_step = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


# name → longest side in pixels (social: Open Graph preview).
PHOTO_SIZES = {"full": 1600, "card": 640, "thumb": 240, "social": 1200}


class OfferPhoto(models.Model):
    """Checked like the profile photo at upload, then resized by a worker into the few sizes
    pages use (`domains.photos`), so no page ships a camera-size image. Until then `full`
    holds the upload as it came and the other sizes are empty."""

    full = models.ImageField(_("photo"), upload_to="photos/%Y/%m/")
    card = models.ImageField(upload_to="photos/%Y/%m/", blank=True)
    thumb = models.ImageField(upload_to="photos/%Y/%m/", blank=True)
    social = models.ImageField(upload_to="photos/%Y/%m/", blank=True)
    caption = models.CharField(_("légende"), max_length=200, blank=True)
    # Offer texts are French, and optionally English (empty: English pages show the French,
    # marked lang="fr"; core/localized.py).
    caption_en = models.CharField(_("légende (anglais)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    @property
    def is_ready(self) -> bool:
        """True once the worker wrote every size (they are saved together)."""
        return bool(self.thumb)

    def __str__(self) -> str:
        return self.caption or _("Photo n° %(number)s") % {"number": self.position + 1}


# --- Domains ------------------------------------------------------------------------------

class HeritageKind(models.TextChoices):
    CHATEAU = "chateau", _("Château")
    MANOIR = "manoir", _("Manoir")
    MOULIN = "moulin", _("Moulin")
    PRIEURE = "prieure", _("Prieuré")
    ABBAYE = "abbaye", _("Abbaye")
    FERME_ANCIENNE = "ferme", _("Ferme ancienne")
    MAISON_DE_MAITRE = "maison_de_maitre", _("Maison de maître")
    OTHER = "other", _("Autre lieu historique")


class LabelKind(models.TextChoices):
    LABEL = "label", _("Label")
    NETWORK = "network", _("Réseau")


class Label(models.Model):
    """A label or network (Demeure Historique, VMF, Gîtes de France…), managed by staff."""

    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(max_length=140, unique=True)
    kind = models.CharField(_("type"), max_length=10, choices=LabelKind.choices, default=LabelKind.LABEL)
    website = models.URLField(_("site web"), blank=True)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    is_active = models.BooleanField(_("proposé aux propriétaires"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("label ou réseau")
        verbose_name_plural = _("labels et réseaux")

    def __str__(self) -> str:
        return self.name


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    ACCEPTED = "accepted", _("Accepté")
    REFUSED = "refused", _("Refusé")


class LabelProposal(models.Model):
    """An owner's request for a missing label or network; staff answer it."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="label_proposals")
    name = models.CharField(_("nom du label ou du réseau"), max_length=120)
    website = models.URLField(_("site web"), blank=True)
    reason = models.TextField(_("pourquoi l'ajouter ?"), max_length=2000)
    status = models.CharField(_("statut"), max_length=10, choices=ProposalStatus.choices,
                              default=ProposalStatus.PENDING, db_index=True)
    staff_answer = models.TextField(_("réponse de l'équipe"), blank=True, max_length=2000)
    label = models.ForeignKey(Label, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("proposition de label")
        verbose_name_plural = _("propositions de labels")

    def __str__(self) -> str:
        return self.name


class MonumentProtection(models.TextChoices):
    NONE = "", _("Non protégé")
    CLASSE = "classe", _("Monument historique classé")
    INSCRIT = "inscrit", _("Monument historique inscrit")


class Domain(ModeratedOffer):
    """A historic place. Its lodgings and experiences hang from it."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="domains")
    name = models.CharField(_("nom du domaine"), max_length=160)
    slug = models.SlugField(max_length=180, unique=True)
    heritage_kind = models.CharField(_("type de lieu"), max_length=20, choices=HeritageKind.choices)
    period = models.CharField(_("siècle ou époque"), max_length=80, blank=True,
                              help_text=_("Par exemple : XVIe siècle, époque Renaissance."))
    history = models.TextField(_("histoire du lieu"), blank=True, max_length=10000)
    history_en = models.TextField(_("histoire du lieu (anglais)"), blank=True, max_length=10000)
    address_line = models.CharField(_("adresse"), max_length=200, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=10, blank=True)
    commune = models.CharField(_("commune"), max_length=120, blank=True)
    # The Code officiel géographique's code of the commune (not its postal code), filled by
    # the address step's suggestion (geo.places).
    insee_code = models.CharField(_("code INSEE"), max_length=5, blank=True,
                                  validators=[RegexValidator(r"^(\d{5}|2[AB]\d{3})$",
                                                             _("Un code INSEE a 5 caractères, par exemple 41149."))])
    departement = models.CharField(_("département"), max_length=3, blank=True,
                                   help_text=_("Numéro du département, par exemple 37 ou 2A."))
    region = models.CharField(_("région"), max_length=40, choices=Region.choices, blank=True, db_index=True)
    # core.text.search_key of name and commune, written on save: loose matching in search.
    name_key = models.CharField(max_length=160, blank=True, editable=False)
    commune_key = models.CharField(max_length=120, blank=True, editable=False)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                                   validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                                    validators=[MinValueValidator(-180), MaxValueValidator(180)])
    labels = models.ManyToManyField(Label, through="DomainLabel", blank=True, related_name="domains")
    # Heritage credentials: staff verify them during validation; only verified ones show a badge.
    monument_protection = models.CharField(_("protection au titre des monuments historiques"), max_length=10,
                                           choices=MonumentProtection.choices, blank=True)
    merimee_reference = models.CharField(_("référence Mérimée"), max_length=10, blank=True,
                                         validators=[validate_merimee])
    monument_verified = models.BooleanField(_("protection vérifiée par l'équipe"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("domaine historique")
        verbose_name_plural = _("domaines historiques")
        indexes = [models.Index(fields=["status", "region"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        write_keys(self, {"name_key": "name", "commune_key": "commune"}, kwargs)
        super().save(*args, **kwargs)


class DomainLabel(models.Model):
    """A domain's membership of a label or network, verified by staff before it shows."""

    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="domain_labels")
    label = models.ForeignKey(Label, on_delete=models.PROTECT, related_name="domain_labels")
    reference = models.CharField(_("numéro d'adhérent ou référence"), max_length=80, blank=True)
    verified = models.BooleanField(_("vérifié par l'équipe"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["domain", "label"], name="domain_label_once")]
        verbose_name = _("label du domaine")
        verbose_name_plural = _("labels du domaine")

    def __str__(self) -> str:
        return str(self.label)


class DomainPhoto(OfferPhoto):
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="photos")

    class Meta(OfferPhoto.Meta):
        verbose_name = _("photo du domaine")
        verbose_name_plural = _("photos du domaine")


class RevisionStatus(models.TextChoices):
    PENDING = "pending", _("En attente de validation")
    APPROVED = "approved", _("Validée")
    REJECTED = "rejected", _("Refusée")
    WITHDRAWN = "withdrawn", _("Retirée")


class Revision(models.Model):
    """Changes an owner made to a published offer, waiting for staff. `changes` maps field
    names to new values (JSON-serialisable); approving applies them to the offer."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    offer = GenericForeignKey("content_type", "object_id")
    changes = models.JSONField(_("modifications"), default=dict)
    status = models.CharField(_("statut"), max_length=10, choices=RevisionStatus.choices,
                              default=RevisionStatus.PENDING, db_index=True)
    submitted_at = models.DateTimeField(_("soumise le"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("examinée le"), null=True, blank=True)
    rejection_reason = models.TextField(_("motif du refus"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id", "status"])]
        verbose_name = _("révision")
        verbose_name_plural = _("révisions")

    def __str__(self) -> str:
        return _("Modification n° %(pk)s") % {"pk": self.pk}


class ModerationQueue(Domain):
    """Admin entry for the moderation queue across domains, lodgings, experiences and revisions."""

    class Meta:
        proxy = True
        verbose_name = _("file de modération")
        verbose_name_plural = _("file de modération")
