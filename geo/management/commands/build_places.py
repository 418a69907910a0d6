from django.conf import settings
from django.core.management.base import BaseCommand

from geo import build


class Command(BaseCommand):
    help = ("Construit l'index des communes, départements et régions (et le fond de carte) depuis node_modules "
            "dans GEO_INDEX_FILE. L'image de production le lance avant de retirer node_modules.")

    def handle(self, *args, **options):
        index = build.build()
        build.write(index, settings.GEO_INDEX_FILE)
        self.stdout.write(f"{len(index['communes'])} communes, {len(index['departements'])} départements, "
                          f"{len(index['regions'])} régions → {settings.GEO_INDEX_FILE}")
