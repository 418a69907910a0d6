"""The 50-minute job, shared by the Celery beat task, the management command and the bench."""
import logging
import random
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connections
from django.db.models import Q
from django.utils import timezone

from .models import Feed
from .sync import SyncOutcome, sync_feed

log = logging.getLogger(__name__)
BACKOFF_BASE = 30.0  # seconds
BACKOFF_CAP = 600.0


def backoff(retries: int, *, rand: Callable[[], float] = random.random) -> float:
    """Exponential backoff with full jitter on top: 30 s, 60 s, 120 s… (+ up to 30 s)."""
    return min(BACKOFF_BASE * 2 ** retries, BACKOFF_CAP) + rand() * BACKOFF_BASE


def run_feed_sync(feed_id: int, *, now: datetime, first_attempt: bool = True) -> SyncOutcome | None:
    # No read first: the lease's compare-and-set finds the row (or not, if deleted), and
    # `apply` loads it once the download is done.
    outcome = sync_feed(feed=Feed(pk=feed_id), now=now, count_failure=first_attempt)
    if outcome.skipped and not Feed.objects.filter(pk=feed_id).exists():
        return None  # deleted since it was scheduled
    return outcome


def _in_thread(feed_id: int) -> SyncOutcome | None:
    close_old_connections()
    try:
        return run_feed_sync(feed_id, now=timezone.now())
    except Exception:  # one feed's database hiccup must not stop the others; its lease expires
        log.exception("calendar sync of feed %s crashed", feed_id)
        return None
    finally:
        connections.close_all()  # each worker thread has its own connection


def default_workers() -> int:
    """SQLite serialises writers: past a dozen threads they mostly wait for its lock."""
    return 12 if connections["default"].vendor == "sqlite" else 50


def sync_inline(feed_ids: Iterable[int], *, workers: int = 32) -> list[SyncOutcome]:
    """Sync feeds in this process with a thread pool (downloads overlap; writes are short)."""
    if workers <= 1:  # in this thread (tests; SQLite in memory cannot be shared by threads)
        return [o for o in (run_feed_sync(f, now=timezone.now()) for f in feed_ids) if o is not None]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="calsync") as pool:
        return [outcome for outcome in pool.map(_in_thread, list(feed_ids)) if outcome is not None]


def due_feeds(*, now: datetime) -> list[int]:
    """Feeds whose turn has come (a little slack so a feed synced just after the last beat
    is not pushed to the one after), marked as scheduled so a second beat skips them."""
    interval = timedelta(minutes=settings.CALSYNC_INTERVAL_MINUTES)
    due = Feed.objects.filter(Q(next_run_at__isnull=True) | Q(next_run_at__lte=now + interval / 10))
    ids = list(due.order_by("next_run_at", "pk").values_list("pk", flat=True))
    claimed = []
    for feed_id in ids:  # compare-and-set per row: two beats at once never schedule a feed twice
        if Feed.objects.filter(Q(next_run_at__isnull=True) | Q(next_run_at__lte=now + interval / 10),
                               pk=feed_id).update(next_run_at=now + interval):
            claimed.append(feed_id)
    return claimed
