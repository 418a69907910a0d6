from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """Everyone who logs in: travellers, owners (those with an OwnerProfile) and staff.
    The email address is the login."""

    username = None
    email = models.EmailField(_("adresse e-mail"), unique=True)
    phone = models.CharField(_("téléphone"), max_length=32, blank=True)
    # Emails are written in the recipient's language, whatever page triggered them.
    language = models.CharField(
        _("langue"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    deleted_at = models.DateTimeField(_("supprimé le"), null=True, blank=True)
    # Non-essential emails a person may turn off; booking, payment and account emails always go.
    review_emails = models.BooleanField(_("invitations et rappels à donner un avis"), default=True)
    news_emails = models.BooleanField(_("nouvelles d'Alma Heritage"), default=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_owner(self) -> bool:
        return hasattr(self, "owner_profile")


class Country(models.TextChoices):
    FR = "FR", _("France")
    BE = "BE", _("Belgique")
    CH = "CH", _("Suisse")
    LU = "LU", _("Luxembourg")
    MC = "MC", _("Monaco")
    DE = "DE", _("Allemagne")
    IT = "IT", _("Italie")
    ES = "ES", _("Espagne")
    PT = "PT", _("Portugal")
    NL = "NL", _("Pays-Bas")
    GB = "GB", _("Royaume-Uni")
    IE = "IE", _("Irlande")


class ChannelManager(models.TextChoices):
    NONE = "none", _("Aucun")
    AMENITIZ = "amenitiz", "Amenitiz"
    KE_BOOKING = "ke_booking", "KE booking"
    SMOOBU = "smoobu", "Smoobu"
    LODGIFY = "lodgify", "Lodgify"
    BEDS24 = "beds24", "Beds24"
    OTHER = "other", _("Autre")


def profile_photo_path(instance: "OwnerProfile", filename: str) -> str:
    return f"profiles/{instance.user_id}/{filename}"


class OwnerProfile(models.Model):
    """The fiche propriétaire: what makes a user an owner."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="owner_profile"
    )
    address_line1 = models.CharField(_("adresse"), max_length=200, blank=True)
    address_line2 = models.CharField(_("complément d'adresse"), max_length=200, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=16, blank=True)
    city = models.CharField(_("commune"), max_length=120, blank=True)
    country = models.CharField(_("pays"), max_length=2, choices=Country.choices, default=Country.FR)
    photo = models.ImageField(_("photo de profil"), upload_to=profile_photo_path, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    channel_manager = models.CharField(
        _("channel manager"), max_length=20, choices=ChannelManager.choices, default=ChannelManager.NONE
    )
    channel_manager_other = models.CharField(_("autre channel manager"), max_length=100, blank=True)
    # Stripe Connect: the owner's connected account and whether payouts can reach it.
    stripe_account_id = models.CharField(max_length=64, blank=True)
    stripe_payouts_enabled = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("fiche propriétaire")
        verbose_name_plural = _("fiches propriétaires")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def is_complete(self) -> bool:
        return bool(self.user.phone and self.address_line1 and self.postal_code and self.city)


class BillingAddress(models.Model):
    """Where commission invoices are addressed. Invoices copy it when issued, so editing it
    never rewrites a past invoice."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="billing_address"
    )
    name = models.CharField(_("nom ou raison sociale"), max_length=200)
    line1 = models.CharField(_("adresse"), max_length=200)
    line2 = models.CharField(_("complément d'adresse"), max_length=200, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=16)
    city = models.CharField(_("commune"), max_length=120)
    country = models.CharField(_("pays"), max_length=2, choices=Country.choices, default=Country.FR)
    vat_number = models.CharField(_("numéro de TVA intracommunautaire"), max_length=20, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("adresse de facturation")
        verbose_name_plural = _("adresses de facturation")

    def __str__(self) -> str:
        return f"{self.name}, {self.line1}, {self.postal_code} {self.city}"
