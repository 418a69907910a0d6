from django.core.management.base import BaseCommand
from django.utils import timezone

from privacy.services import purge_data_exports


class Command(BaseCommand):
    help = "Delete « Mes données » ZIP files past their 24 h; mark builds stuck in a dead worker as failed."

    def handle(self, *args, **options) -> None:
        expired, failed = purge_data_exports(now=timezone.now())
        self.stdout.write(f"{expired} data export(s) expired, {failed} stuck export(s) marked failed.")
