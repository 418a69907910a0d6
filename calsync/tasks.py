"""Celery wrappers: the beat task schedules one task per due feed. Both run on the `calsync`
queue (CELERY_TASK_ROUTES), so a slow feed never delays a booking timer."""
from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .jobs import backoff, due_feeds, run_feed_sync


@shared_task
def sync_calendars() -> int:
    """Every CALSYNC_INTERVAL_MINUTES: one task per feed whose turn has come."""
    feed_ids = due_feeds(now=timezone.now())
    for feed_id in feed_ids:
        sync_one_feed.delay(feed_id)
    return len(feed_ids)


# The fetch ends at its deadline and the parse at its budget (docs/calendar-sync.md#limits): the
# soft limit comes after both, so it only fires if something else hangs (a database lock); the
# lease is released on the way out (sync.sync_feed).
FEED_SOFT_LIMIT = settings.CALSYNC_FETCH_DEADLINE + settings.CALSYNC_PARSE_BUDGET + 20


@shared_task(bind=True, max_retries=None, acks_late=True, soft_time_limit=FEED_SOFT_LIMIT,
             time_limit=FEED_SOFT_LIMIT + 30)
def sync_one_feed(self, feed_id: int) -> None:
    """One feed; a download failure is retried with exponential backoff and jitter. Only
    the first attempt counts towards "stale", so a feed goes stale after failed runs."""
    outcome = run_feed_sync(feed_id, now=timezone.now(), first_attempt=self.request.retries == 0)
    if outcome and outcome.retryable and self.request.retries < settings.CALSYNC_MAX_RETRIES \
            and not self.request.is_eager:
        raise self.retry(countdown=backoff(self.request.retries))
