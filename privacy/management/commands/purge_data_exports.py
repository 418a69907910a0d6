from django.utils import timezone

from core.jobruns import JobCommand
from privacy.services import purge_data_exports


class Command(JobCommand):
    help = "Delete « Mes données » ZIP files past their 24 h; mark builds stuck in a dead worker as failed."

    def run_job(self, **options) -> dict:
        expired, failed = purge_data_exports(now=timezone.now())
        return {"expired": expired, "failed": failed}

    def report(self, counts: dict) -> str:
        return f"{counts['expired']} data export(s) expired, {counts['failed']} stuck export(s) marked failed."
