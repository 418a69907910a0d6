"""The record of periodic jobs: one row per job (its latest state, what staff look at) and
one per run (the history, kept JOB_RUN_RETENTION_DAYS)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    RUNNING = "running", _("en cours")
    SUCCESS = "success", _("réussi")
    FAILURE = "failure", _("échoué")


class ScheduledJob(models.Model):
    """A beat entry of CELERY_BEAT_SCHEDULE, by task name. `alerted_at` is set when staff were
    told the job stopped succeeding and cleared by its next success: one email per incident."""

    task = models.CharField(_("tâche"), max_length=200, unique=True)
    period_seconds = models.PositiveIntegerField(_("période (s)"))
    first_seen_at = models.DateTimeField(_("connue depuis"))
    last_started_at = models.DateTimeField(_("dernier départ"), null=True, blank=True)
    last_outcome = models.CharField(_("dernier résultat"), max_length=10, choices=Outcome.choices, blank=True)
    last_duration_ms = models.PositiveIntegerField(_("dernière durée (ms)"), null=True, blank=True)
    last_counts = models.JSONField(_("derniers comptes"), default=dict, blank=True)
    last_success_at = models.DateTimeField(_("dernier succès"), null=True, blank=True)
    last_failure_at = models.DateTimeField(_("dernier échec"), null=True, blank=True)
    last_error = models.CharField(_("dernière erreur"), max_length=500, blank=True)
    alerted_at = models.DateTimeField(_("alerte envoyée"), null=True, blank=True)

    class Meta:
        ordering = ["task"]
        verbose_name = _("tâche planifiée")
        verbose_name_plural = _("tâches planifiées")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.task.rsplit(".", 1)[-1]


class JobRun(models.Model):
    job = models.ForeignKey(ScheduledJob, on_delete=models.CASCADE, related_name="runs", verbose_name=_("tâche"))
    task_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(_("début"))
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("durée (ms)"), null=True, blank=True)
    outcome = models.CharField(_("résultat"), max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    counts = models.JSONField(_("comptes"), default=dict, blank=True)
    error = models.CharField(_("erreur"), max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["job", "-started_at"], name="jobrun_job_recent")]
        verbose_name = _("exécution")
        verbose_name_plural = _("exécutions")

    def __str__(self) -> str:
        return f"{self.job.name} {self.started_at:%Y-%m-%d %H:%M}"
