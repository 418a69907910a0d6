import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel"
    PDF = "pdf", "PDF"


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("En attente")  # created; waiting for a worker
    RUNNING = "running", _("En cours")  # a worker is writing the file (see progress)
    DONE = "done", _("Prêt")  # the file can be downloaded
    FAILED = "failed", _("Échec")  # see error; the owner may start again


def export_file_path(job: "ExportJob", filename: str) -> str:
    # The job's random id in the path: files are served by a view that checks the owner,
    # and even a leaked storage path is not guessable.
    return f"exports/{job.owner_id}/{job.pk}/{filename}"


class ExportJob(models.Model):
    """A list exported in a worker because it is too long to build in a request."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs")
    kind = models.CharField(_("type"), max_length=40)  # an `exports.registry` kind: "bookings", "clients"…
    format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    params = models.JSONField(_("paramètres"), default=dict)  # the list's filter, search, day and language
    status = models.CharField(_("statut"), max_length=10, choices=ExportStatus.choices,
                              default=ExportStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("progression (%)"), default=0)
    row_count = models.PositiveIntegerField(_("lignes"), null=True, blank=True)
    file = models.FileField(_("fichier"), upload_to=export_file_path, blank=True, max_length=255)
    error = models.TextField(_("erreur"), blank=True)
    created_at = models.DateTimeField(_("créé le"))
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        constraints = [models.CheckConstraint(condition=Q(progress__lte=100), name="export_progress_percent")]
        indexes = [models.Index(fields=["owner", "created_at"], name="export_owner_created")]

    def __str__(self) -> str:
        return f"{self.kind}.{self.format} ({self.get_status_display()})"

    @property
    def is_archive(self) -> bool:
        """A long PDF comes as a ZIP of several documents (exports.writers.write_pdf)."""
        return self.file.name.endswith(".zip")

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)
