from django.utils import timezone

from core.jobruns import JobCommand
from reviews.services import send_review_invitations


class Command(JobCommand):
    help = "Invite travellers to review the day after their stay or session, remind once after 7 days (idempotent)."

    def run_job(self, **options) -> dict:
        invited, reminded = send_review_invitations(now=timezone.now())
        return {"invited": invited, "reminded": reminded}

    def report(self, counts: dict) -> str:
        return f"{counts['invited']} invitation(s), {counts['reminded']} reminder(s) sent"
