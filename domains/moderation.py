"""The moderation workflow shared by every offer (domains, lodgings, experiences).

draft → submitted → published | rejected(reason). Editing a published offer stores a
pending revision (see `Revision`); the validated version stays online until staff approve."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class OfferStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")  # being written by its owner, invisible to the public
    SUBMITTED = "submitted", _("Soumis")  # waiting for staff validation (2 business days)
    PUBLISHED = "published", _("Publié")  # validated: visible and bookable
    REJECTED = "rejected", _("Refusé")  # sent back with the staff's reason; the owner may fix and resubmit


class ModeratedOffer(models.Model):
    """Fields every offer carries for moderation."""

    status = models.CharField(_("statut"), max_length=12, choices=OfferStatus.choices, default=OfferStatus.DRAFT,
                              db_index=True)
    submitted_at = models.DateTimeField(_("soumis le"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("examiné le"), null=True, blank=True)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    rejection_reason = models.TextField(_("motif du refus"), blank=True)
    # The furthest wizard step the owner has saved, for "Continue submission".
    wizard_step = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_published(self) -> bool:
        return self.status == OfferStatus.PUBLISHED
