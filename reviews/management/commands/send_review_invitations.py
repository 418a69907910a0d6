from django.core.management.base import BaseCommand
from django.utils import timezone

from reviews.services import send_review_invitations


class Command(BaseCommand):
    help = "Invite travellers to review the day after their stay or session, remind once after 7 days (idempotent)."

    def handle(self, *args, **options) -> None:
        invited, reminded = send_review_invitations(now=timezone.now())
        self.stdout.write(f"{invited} invitation(s), {reminded} reminder(s) sent")
