from django.core.management.base import BaseCommand
from django.utils import timezone

from exports.services import purge_old_exports


class Command(BaseCommand):
    help = "Delete export files past their retention; mark exports stuck in a dead worker as failed."

    def handle(self, *args, **options) -> None:
        deleted, failed = purge_old_exports(now=timezone.now())
        self.stdout.write(f"{deleted} export(s) deleted, {failed} stuck export(s) marked failed.")
