from django.utils import timezone

from core.jobruns import JobCommand
from exports.services import purge_old_exports


class Command(JobCommand):
    help = "Delete export files past their retention; mark exports stuck in a dead worker as failed."

    def run_job(self, **options) -> dict:
        deleted, failed = purge_old_exports(now=timezone.now())
        return {"deleted": deleted, "failed": failed}

    def report(self, counts: dict) -> str:
        return f"{counts['deleted']} export(s) deleted, {counts['failed']} stuck export(s) marked failed."
