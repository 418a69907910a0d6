import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import OutgoingEmail

from .storage import export_storage


class DataExportStatus(models.TextChoices):
    PENDING = "pending", _("En attente")  # asked; waiting for a worker
    BUILDING = "building", _("En préparation")  # a worker is writing the ZIP (see progress)
    READY = "ready", _("Prête")  # the ZIP can be downloaded until expires_at
    FAILED = "failed", _("Échec")  # staff see why; the person may ask again
    EXPIRED = "expired", _("Expirée")  # past expires_at: the file is gone


OPEN_STATUSES = (DataExportStatus.PENDING, DataExportStatus.BUILDING)


def data_export_path(export: "DataExport", filename: str) -> str:
    # The export's random id in the path: even a leaked file name is not guessable.
    return f"{export.user_id}/{export.pk}/{filename}"


class DataExport(models.Model):
    """A person's "Mes données" ZIP: everything the platform holds about them (privacy/sections.py)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(_("statut"), max_length=10, choices=DataExportStatus.choices,
                              default=DataExportStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("progression (%)"), default=0)
    file = models.FileField(_("fichier"), storage=export_storage, upload_to=data_export_path, blank=True,
                            max_length=255)
    size = models.PositiveBigIntegerField(_("taille (octets)"), null=True, blank=True)
    error = models.TextField(_("erreur"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("demandée le"))
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("prête le"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export de données personnelles")
        verbose_name_plural = _("exports de données personnelles")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="data_export_progress_percent"),
            # One export in the making per person: asking twice while it builds is refused.
            models.UniqueConstraint(fields=["user"], condition=Q(status__in=["pending", "building"]),
                                    name="one_open_data_export_per_user"),
        ]
        indexes = [models.Index(fields=["user", "created_at"], name="data_export_user_created"),
                   models.Index(fields=["status", "expires_at"], name="data_export_expiry")]

    def __str__(self) -> str:
        return f"{self.user_id} – {self.get_status_display()} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_downloadable(self, now) -> bool:
        return self.status == DataExportStatus.READY and bool(self.file) and self.expires_at is not None \
            and self.expires_at > now


class FarewellEmail(models.Model):
    """The confirmation of a deletion while the mail server has not taken it yet: the outbox
    must retry it, and its copy (the erased address) goes once sent (privacy.services.purge_data_exports)."""

    email = models.OneToOneField(OutgoingEmail, on_delete=models.CASCADE, related_name="farewell")

    class Meta:
        verbose_name = _("confirmation de suppression en attente")
        verbose_name_plural = _("confirmations de suppression en attente")

    def __str__(self) -> str:
        return f"{self.email_id}"
