from django.core.management.base import BaseCommand
from django.utils import timezone

from operations import jobs
from operations.models import ScheduledJob


class Command(BaseCommand):
    help = ("Email staff about each periodic job that has not succeeded for twice its period (once per "
            "incident) and list every job's last run. The beat task of the same name does the same.")

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        sent = jobs.check_jobs(now=now)
        for job in ScheduledJob.objects.all():
            self.stdout.write(f"{job.name:28} {job.last_outcome or '—':8} success {job.last_success_at or '—'}  "
                              f"failure {job.last_failure_at or '—'}")
        self.stdout.write(f"{sent} alert(s) sent")
