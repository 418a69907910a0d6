from django.utils import timezone

from core.jobruns import JobCommand
from experiences.services import sessions_for_all_published


class Command(JobCommand):
    help = "Create the missing sessions of published experiences from their periods (idempotent)."

    def run_job(self, **options) -> int:
        return sessions_for_all_published(today=timezone.localdate())

    def report(self, created: int) -> str:
        return f"{created} session(s) created"
