"""The 50-minute job: scheduling, one sync per feed at a time, retries with backoff."""
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from bookings.models import ExternalBlock
from calsync import jobs, sync, tasks
from calsync.fetching import FetchResult
from calsync.models import Feed

from .conftest import NOW, ics

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed(unit, httpserver, allow_loopback):
    return Feed.objects.create(unit=unit, url=httpserver.url_for("/feed.ics"))


def test_beat_runs_the_job_every_50_minutes():
    entry = django_settings.CELERY_BEAT_SCHEDULE["sync-calendars"]
    assert entry["task"] == "calsync.tasks.sync_calendars"
    assert entry["schedule"] == 50 * 60


def test_two_concurrent_syncs_of_one_feed_fetch_once(feed, monkeypatch):
    fetches = []
    inner = []

    def fake_download(f, **kwargs):
        fetches.append(f.pk)
        if len(fetches) == 1:  # while the first download runs, a second worker tries the same feed
            inner.append(sync.sync_feed(feed=Feed.objects.get(pk=f.pk), now=NOW))
        return FetchResult(status=200, content=ics(("20261210", "20261214", "a")), etag=None,
                           last_modified=None, not_modified=False)

    monkeypatch.setattr(sync, "download", fake_download)

    first = sync.sync_feed(feed=feed, now=NOW)

    assert fetches == [feed.pk]
    assert inner[0].skipped and first.ok
    assert ExternalBlock.objects.count() == 1
    feed.refresh_from_db()
    assert feed.sync_started_at is None  # the lease is released


def test_a_lease_left_by_a_crashed_worker_expires(feed, httpserver):
    httpserver.expect_request("/feed.ics").respond_with_data(ics(), content_type="text/calendar")
    Feed.objects.filter(pk=feed.pk).update(sync_started_at=NOW - timedelta(minutes=2))
    assert sync.sync_feed(feed=feed, now=NOW).skipped
    assert not sync.sync_feed(feed=feed, now=NOW + timedelta(minutes=10)).skipped


def test_due_feeds_are_scheduled_once_per_interval(feed, unit):
    later = Feed.objects.create(unit=unit, url="https://example.com/b.ics", next_run_at=NOW + timedelta(hours=1))

    assert jobs.due_feeds(now=NOW) == [feed.pk]
    assert jobs.due_feeds(now=NOW) == []  # a second beat at the same time schedules nothing
    assert set(jobs.due_feeds(now=NOW + timedelta(minutes=55))) == {feed.pk, later.pk}


def test_beat_task_enqueues_one_task_per_due_feed(feed, unit, monkeypatch):
    other = Feed.objects.create(unit=unit, url="https://example.com/b.ics")
    queued = []
    monkeypatch.setattr(tasks.sync_one_feed, "delay", queued.append)

    assert tasks.sync_calendars() == 2
    assert sorted(queued) == sorted([feed.pk, other.pk])


def test_task_syncs_the_feed(feed, httpserver):
    httpserver.expect_request("/feed.ics").respond_with_data(ics(("20270105", "20270109", "b")),
                                                            content_type="text/calendar")
    tasks.sync_one_feed.delay(feed.pk)
    assert ExternalBlock.objects.filter(feed_id=feed.pk).count() == 1


def test_task_retries_a_failed_download_with_backoff(feed, monkeypatch):
    failing = sync.SyncOutcome(feed_id=feed.pk, error="HTTP 503", retryable=True)
    monkeypatch.setattr(tasks, "run_feed_sync", lambda feed_id, **kw: failing)
    retried = []

    def fake_retry(countdown):
        retried.append(countdown)
        return RuntimeError("retry")

    monkeypatch.setattr(tasks.sync_one_feed, "retry", fake_retry)
    tasks.sync_one_feed.push_request(retries=0, is_eager=False)
    try:
        with pytest.raises(RuntimeError):
            tasks.sync_one_feed.run(feed.pk)
    finally:
        tasks.sync_one_feed.pop_request()
    assert 30 <= retried[0] <= 60


def test_backoff_grows_exponentially_with_jitter():
    assert [jobs.backoff(n, rand=lambda: 0.0) for n in range(4)] == [30, 60, 120, 240]
    assert jobs.backoff(1, rand=lambda: 0.999) < 90
    assert jobs.backoff(20, rand=lambda: 0.0) == jobs.BACKOFF_CAP


def test_command_syncs_due_feeds(feed, httpserver):
    httpserver.expect_request("/feed.ics").respond_with_data(ics(("20270105", "20270109", "b")),
                                                            content_type="text/calendar")
    out = StringIO()
    call_command("sync_calendars", "--workers", "1", stdout=out)
    assert "1 feed(s) synced" in out.getvalue()
    assert ExternalBlock.objects.filter(feed_id=feed.pk).count() == 1
