"""`manage.py sync_calendars`: the 50-minute job by hand (same function as the beat task)."""
import time

from django.utils import timezone

from calsync.jobs import default_workers, due_feeds, sync_inline
from calsync.models import Feed
from calsync.tasks import sync_one_feed
from core.jobruns import JobCommand


class Command(JobCommand):
    help = "Synchronise the import calendars whose turn has come (all of them with --all)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="every feed, due or not")
        parser.add_argument("--queue", action="store_true", help="enqueue Celery tasks instead of syncing here")
        parser.add_argument("--workers", type=int, default=0, help="parallel downloads when syncing here")

    def run_job(self, **options) -> dict:
        self.started = time.monotonic()
        now = timezone.now()
        feed_ids = list(Feed.objects.values_list("pk", flat=True)) if options["all"] else due_feeds(now=now)
        if options["queue"]:
            for feed_id in feed_ids:
                sync_one_feed.delay(feed_id)
            return {"queued": len(feed_ids)}
        outcomes = sync_inline(feed_ids, workers=options["workers"] or default_workers())
        return {"synced": len(outcomes), "not_modified": sum(1 for o in outcomes if o.not_modified),
                "failed": sum(1 for o in outcomes if o.error)}

    def report(self, counts: dict) -> str:
        if "queued" in counts:
            return f"{counts['queued']} feed(s) queued."
        return (f"{counts['synced']} feed(s) synced in {time.monotonic() - self.started:.1f} s: "
                f"{counts['not_modified']} not modified, {counts['failed']} failed.")
