"""What the travellers' site stores itself: the content pages staff edit in admin and the
messages sent through the contact page."""
from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Page(models.Model):
    """A content page (who we are, partners, FAQs, legal texts) edited by staff without a
    deploy. Bodies use a tiny markup: blank lines separate paragraphs, "## " and "### "
    start headings, "- " starts a list item. Everything is escaped."""

    slug = models.SlugField(_("adresse (slug)"), max_length=80, unique=True)
    title_fr = models.CharField(_("titre (français)"), max_length=160)
    title_en = models.CharField(_("titre (anglais)"), max_length=160, blank=True)
    meta_description_fr = models.CharField(_("description pour les moteurs de recherche (français)"),
                                           max_length=300, blank=True)
    meta_description_en = models.CharField(_("description pour les moteurs de recherche (anglais)"),
                                           max_length=300, blank=True)
    body_fr = models.TextField(_("texte (français)"), max_length=100000)
    body_en = models.TextField(_("texte (anglais)"), blank=True, max_length=100000,
                               help_text=_("Vide : la page anglaise affiche le texte français."))
    in_footer = models.BooleanField(_("lien en pied de page"), default=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("page de contenu")
        verbose_name_plural = _("pages de contenu")

    def __str__(self) -> str:
        return self.title_fr

    def _localised(self, field: str) -> str:
        if get_language() == "en":
            return getattr(self, f"{field}_en") or getattr(self, f"{field}_fr")
        return getattr(self, f"{field}_fr")

    @property
    def title(self) -> str:
        return self._localised("title")

    @property
    def body(self) -> str:
        return self._localised("body")

    @property
    def meta_description(self) -> str:
        return self._localised("meta_description")

    @property
    def shown_in_french_only(self) -> bool:
        return get_language() == "en" and not self.body_en


class ContactSubject(models.TextChoices):
    # The subjects the owner FAQ asks people to write with, each routed to one inbox.
    NEW_OWNER = "new_owner", _("Nouveau propriétaire")
    DOUBLE_BOOKING = "double_booking", _("Double réservation")
    REVIEW_COMPLAINT = "review_complaint", _("Réclamation avis")
    TRAVELLER_REPORT = "traveller_report", _("Signalement comportement voyageur")
    ACCOUNT_DELETION = "account_deletion", _("Suppression de compte")
    OTHER = "other", _("Autre")


# Subject → name of the setting holding the staff inbox that answers it.
SUBJECT_INBOX_SETTING = {
    ContactSubject.NEW_OWNER: "STAFF_INBOX_OWNERS",
    ContactSubject.DOUBLE_BOOKING: "STAFF_INBOX_BOOKINGS",
    ContactSubject.REVIEW_COMPLAINT: "STAFF_INBOX_REVIEWS",
    ContactSubject.TRAVELLER_REPORT: "STAFF_INBOX_OWNERS",
    ContactSubject.ACCOUNT_DELETION: "STAFF_INBOX_OWNERS",
    ContactSubject.OTHER: "STAFF_INBOX_OWNERS",
}


class ContactMessage(models.Model):
    """A message sent through the contact page, kept for staff in admin."""

    subject = models.CharField(_("objet"), max_length=20, choices=ContactSubject.choices)
    name = models.CharField(_("nom"), max_length=120)
    email = models.EmailField(_("adresse e-mail"))
    booking_reference = models.CharField(_("référence de réservation"), max_length=20, blank=True)
    message = models.TextField(_("message"), max_length=5000)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="contact_messages")
    routed_to = models.EmailField(_("transmis à"))
    language = models.CharField(max_length=8, blank=True)
    handled = models.BooleanField(_("traité"), default=False, db_index=True)
    created_at = models.DateTimeField(_("reçu le"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("message de contact")
        verbose_name_plural = _("messages de contact")

    def __str__(self) -> str:
        return f"{self.get_subject_display()} – {self.email}"
