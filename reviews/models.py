"""Reviews of a booking (one per booking), the owner's public reply, the owner's complaint
to staff, and the history of every decision. The rules are in reviews/services.py."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bookings.models import Booking
from domains.models import Domain
from experiences.models import Experience
from lodgings.models import Lodging

TEXT_MAX = 2000
RATING_FIELDS = ("rating", "cleanliness", "welcome", "heritage", "value")


def _rating(label):
    return models.PositiveSmallIntegerField(label, choices=[(n, str(n)) for n in range(1, 6)])


class ReviewStatus(models.TextChoices):
    VISIBLE = "visible", _("Publié")  # on the public pages and in the averages
    HIDDEN = "hidden", _("Masqué")  # hidden by staff with a reason; out of pages and averages


class Review(models.Model):
    booking = models.OneToOneField(Booking, on_delete=models.PROTECT, related_name="review",
                                   verbose_name=_("réservation"))
    # Denormalised from the booking so pages filter on one indexed column each.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews_written",
                               verbose_name=_("auteur"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews_received",
                              verbose_name=_("propriétaire"))
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("domaine"))
    lodging = models.ForeignKey(Lodging, null=True, blank=True, on_delete=models.PROTECT, related_name="reviews",
                                verbose_name=_("hébergement"))
    experience = models.ForeignKey(Experience, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="reviews", verbose_name=_("expérience"))
    rating = _rating(_("note globale"))
    cleanliness = _rating(_("propreté"))
    welcome = _rating(_("accueil"))
    heritage = _rating(_("intérêt patrimonial"))
    value = _rating(_("rapport qualité-prix"))
    text = models.TextField(_("avis"), max_length=TEXT_MAX)
    status = models.CharField(_("statut"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.VISIBLE)
    hidden_reason = models.CharField(_("motif du masquage"), max_length=1000, blank=True)
    reply = models.TextField(_("réponse du propriétaire"), max_length=TEXT_MAX, blank=True)
    replied_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    created_at = models.DateTimeField(_("écrit le"))
    edited_at = models.DateTimeField(_("modifié le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("avis")
        verbose_name_plural = _("avis")
        constraints = [
            *[models.CheckConstraint(condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                                     name=f"review_{name}_1_to_5") for name in RATING_FIELDS],
            models.CheckConstraint(condition=Q(lodging__isnull=False, experience__isnull=True)
                                   | Q(lodging__isnull=True, experience__isnull=False),
                                   name="review_of_lodging_or_experience"),
            models.CheckConstraint(condition=~Q(reply="") | Q(replied_at__isnull=True),
                                   name="review_reply_has_date"),
        ]
        indexes = [
            models.Index(fields=["lodging", "status", "created_at"], name="review_lodging_page"),
            models.Index(fields=["experience", "status", "created_at"], name="review_experience_page"),
            models.Index(fields=["domain", "status", "created_at"], name="review_domain_page"),
            models.Index(fields=["owner", "replied_at", "created_at"], name="review_owner_list"),
        ]

    def __str__(self) -> str:
        return f"{self.booking.reference} · {self.rating}/5"

    @property
    def offer(self):
        return self.lodging if self.lodging_id else self.experience

    @property
    def is_visible(self) -> bool:
        return self.status == ReviewStatus.VISIBLE


class OfferRating(models.Model):
    """The visible reviews' count and averages of one lodging or experience, kept by
    reviews.services whenever a review is written, edited, hidden or shown again, so the
    search page reads them in its card query (a join) instead of aggregating per card."""

    lodging = models.OneToOneField(Lodging, null=True, blank=True, on_delete=models.CASCADE, related_name="rating")
    experience = models.OneToOneField(Experience, null=True, blank=True, on_delete=models.CASCADE,
                                      related_name="rating")
    count = models.PositiveIntegerField(default=0)
    average = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("note moyenne")
        verbose_name_plural = _("notes moyennes")
        constraints = [
            models.CheckConstraint(condition=Q(lodging__isnull=False, experience__isnull=True)
                                   | Q(lodging__isnull=True, experience__isnull=False),
                                   name="offer_rating_of_lodging_or_experience"),
        ]

    def __str__(self) -> str:
        return f"{self.average or '—'} / 5 · {self.count}"


class ReviewInvitation(models.Model):
    """The invitation to review a booking: one row per booking (the database says "once"),
    and the reminder's time once it is sent."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="review_invitation")
    invited_at = models.DateTimeField(_("invitation envoyée le"))
    reminded_at = models.DateTimeField(_("relance envoyée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation à donner un avis")
        verbose_name_plural = _("invitations à donner un avis")
        indexes = [models.Index(fields=["reminded_at", "invited_at"], name="review_invitation_reminder")]

    def __str__(self) -> str:
        return _("Invitation du %(date)s") % {"date": self.invited_at.date().isoformat()}


class ComplaintReason(models.TextChoices):
    NOT_A_GUEST = "not_a_guest", _("Ce voyageur n'a pas séjourné ainsi")
    FALSE_FACTS = "false_facts", _("Faits inexacts")
    OFFENSIVE = "offensive", _("Propos injurieux ou discriminatoires")
    PERSONAL_DATA = "personal_data", _("Données personnelles divulguées")
    OFF_TOPIC = "off_topic", _("Hors sujet (ne concerne pas le séjour ou l'expérience)")
    OTHER = "other", _("Autre")


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("À traiter")  # waiting in the staff queue
    KEPT = "kept", _("Avis maintenu")  # staff kept the review
    HIDDEN = "hidden", _("Avis masqué")  # staff hid the review


class ReviewComplaint(models.Model):
    """"Réclamation avis": the owner asks staff to look at a review, once per review."""

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="complaint",
                                  verbose_name=_("avis"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("déposée par"))
    reason = models.CharField(_("motif"), max_length=20, choices=ComplaintReason.choices)
    explanation = models.TextField(_("explication"), max_length=TEXT_MAX)
    status = models.CharField(_("statut"), max_length=10, choices=ComplaintStatus.choices,
                              default=ComplaintStatus.OPEN, db_index=True)
    decision_reason = models.CharField(_("motif de la décision"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("décidée par"))
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("déposée le"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("réclamation avis")
        verbose_name_plural = _("réclamations avis")

    def __str__(self) -> str:
        return f"{self.review.booking.reference} · {self.get_reason_display()}"


class ReviewAction(models.TextChoices):
    WRITTEN = "written", _("Avis écrit")
    EDITED = "edited", _("Avis modifié")
    REPLIED = "replied", _("Réponse publiée")
    REPLY_EDITED = "reply_edited", _("Réponse modifiée")
    COMPLAINT_FILED = "complaint_filed", _("Réclamation déposée")
    KEPT = "kept", _("Avis maintenu par l'équipe")
    HIDDEN = "hidden", _("Avis masqué par l'équipe")
    SHOWN = "shown", _("Avis rétabli par l'équipe")


class ReviewEvent(models.Model):
    """One line of a review's history: who did what, when, and why (staff decisions)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20, choices=ReviewAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("par"))
    reason = models.CharField(_("motif"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("le"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("décision sur un avis")
        verbose_name_plural = _("historique des avis")

    def __str__(self) -> str:
        return self.get_action_display()
