"""Staff see every periodic job's last run, success and failure ("Exploitation > Tâches
planifiées"); the rows are written by the jobs themselves, so nothing here is editable."""
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import admin_base as base

from . import jobs
from .models import JobRun, ScheduledJob


class ReadOnly(base.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ScheduledJob)
class ScheduledJobAdmin(ReadOnly):
    list_display = ["name", "period", "last_outcome", "last_success_at", "last_failure_at", "last_duration_ms",
                    "last_counts", "late"]
    list_filter = ["last_outcome"]
    readonly_fields = ["task", "period_seconds", "first_seen_at", "last_started_at", "last_outcome",
                       "last_duration_ms", "last_counts", "last_success_at", "last_failure_at", "last_error",
                       "alerted_at"]

    @admin.display(description=_("tâche"), ordering="task")
    def name(self, job: ScheduledJob) -> str:
        return job.name

    @admin.display(description=_("période"), ordering="period_seconds")
    def period(self, job: ScheduledJob) -> str:
        return str(timezone.timedelta(seconds=job.period_seconds))

    @admin.display(description=_("en retard"), boolean=True)
    def late(self, job: ScheduledJob) -> bool:
        since = job.last_success_at or job.first_seen_at
        return timezone.now() - since > 2 * timezone.timedelta(seconds=job.period_seconds)

    def changelist_view(self, request, extra_context=None):
        # Jobs that never ran yet are listed too (and start their clock): staff see the whole schedule.
        jobs.known_jobs(now=timezone.now())
        return super().changelist_view(request, extra_context)


@admin.register(JobRun)
class JobRunAdmin(ReadOnly):
    list_display = ["job", "started_at", "duration_ms", "outcome", "counts", "error"]
    list_filter = ["outcome", "job"]
    list_select_related = ["job"]
    date_hierarchy = "started_at"
    readonly_fields = ["job", "task_id", "started_at", "finished_at", "duration_ms", "outcome", "counts", "error"]

