"""`manage.py sync_calendars`: the 50-minute job by hand (same function as the beat task)."""
import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from calsync.jobs import default_workers, due_feeds, sync_inline
from calsync.models import Feed
from calsync.tasks import sync_one_feed


class Command(BaseCommand):
    help = "Synchronise the import calendars whose turn has come (all of them with --all)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="every feed, due or not")
        parser.add_argument("--queue", action="store_true", help="enqueue Celery tasks instead of syncing here")
        parser.add_argument("--workers", type=int, default=0, help="parallel downloads when syncing here")

    def handle(self, *args, **options):
        started = time.monotonic()
        now = timezone.now()
        feed_ids = list(Feed.objects.values_list("pk", flat=True)) if options["all"] else due_feeds(now=now)
        if options["queue"]:
            for feed_id in feed_ids:
                sync_one_feed.delay(feed_id)
            self.stdout.write(f"{len(feed_ids)} feed(s) queued.")
            return
        outcomes = sync_inline(feed_ids, workers=options["workers"] or default_workers())
        failed = sum(1 for o in outcomes if o.error)
        not_modified = sum(1 for o in outcomes if o.not_modified)
        self.stdout.write(f"{len(outcomes)} feed(s) synced in {time.monotonic() - started:.1f} s: "
                          f"{not_modified} not modified, {failed} failed.")
