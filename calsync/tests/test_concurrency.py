"""Two workers released at the same instant on one feed: one fetch, one set of blocks."""
import threading
import time

import pytest
from django.db import connection, connections
from werkzeug import Response

from bookings.models import ExternalBlock
from calsync import sync
from calsync.models import Feed

from .conftest import NOW, ics

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need a shared database"),
]


def test_two_workers_on_one_feed_fetch_it_once(unit, httpserver, allow_loopback):
    feed = Feed.objects.create(unit=unit, url=httpserver.url_for("/feed.ics"))

    def slow_feed(request):
        time.sleep(0.5)  # the first worker holds the lease while the others arrive
        return Response(ics(("20270105", "20270109", "a")), content_type="text/calendar")

    httpserver.expect_request("/feed.ics").respond_with_handler(slow_feed)
    barrier = threading.Barrier(4)
    outcomes = []

    def worker():
        try:
            barrier.wait()
            outcomes.append(sync.sync_feed(feed=Feed.objects.get(pk=feed.pk), now=NOW))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert len(httpserver.log) == 1
    assert sum(1 for o in outcomes if o.skipped) == 3
    assert ExternalBlock.objects.filter(feed_id=feed.pk).count() == 1


def test_two_syncs_writing_one_feed_at_once_never_duplicate_its_blocks(unit, monkeypatch):
    """Two downloads of one feed finishing together (one outlived its lease): each stores
    the same 10 blocks. Before, both read "no blocks yet" and inserted: 20 instead of 10."""
    from datetime import UTC, datetime
    from threading import BrokenBarrierError

    from calsync import blocks
    from calsync.fetching import FetchResult

    feed = Feed.objects.create(unit=unit, url="https://calendar.example.com/a.ics")
    body = ics(*[(f"202702{day:02d}", f"202702{day + 1:02d}", f"u{day}") for day in range(1, 20, 2)])
    result = FetchResult(status=200, content=body, etag=None, last_modified=None, not_modified=False)
    both_read = threading.Barrier(2, timeout=1.5)
    real_describe = blocks.describe_changes

    def describe_then_wait(**kwargs):
        # Both writers have read the feed's old blocks before either writes: the race.
        try:
            both_read.wait()
        except BrokenBarrierError:  # the other one is (rightly) waiting for our commit
            pass
        return real_describe(**kwargs)

    monkeypatch.setattr(blocks, "describe_changes", describe_then_wait)
    start = threading.Barrier(2)

    def writer():
        try:
            start.wait()
            sync.apply(feed=Feed.objects.get(pk=feed.pk), result=result, now=datetime(2027, 1, 5, tzinfo=UTC))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)

    assert ExternalBlock.objects.filter(feed_id=feed.pk).count() == 10
