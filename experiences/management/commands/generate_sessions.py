from django.core.management.base import BaseCommand
from django.utils import timezone

from experiences.services import sessions_for_all_published


class Command(BaseCommand):
    help = "Create the missing sessions of published experiences from their periods (idempotent)."

    def handle(self, *args, **options):
        created = sessions_for_all_published(today=timezone.localdate())
        self.stdout.write(f"{created} session(s) created")
