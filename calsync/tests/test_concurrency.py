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
