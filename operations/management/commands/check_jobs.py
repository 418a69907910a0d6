from django.utils import timezone

from core.jobruns import JobCommand
from operations import jobs
from operations.models import ScheduledJob


class Command(JobCommand):
    help = ("Email staff about each periodic job that has not succeeded for twice its period (once per "
            "incident) and list every job's last run. The beat task of the same name does the same.")

    def run_job(self, **options) -> int:
        return jobs.check_jobs(now=timezone.now())

    def report(self, sent: int) -> str:
        lines = [f"{job.name:28} {job.last_outcome or '—':8} success {job.last_success_at or '—'}  "
                 f"failure {job.last_failure_at or '—'}" for job in ScheduledJob.objects.all()]
        return "\n".join([*lines, f"{sent} alert(s) sent"])
