"""Importing a feed from a local server: 200, 304, 500, slow, huge and HTML answers."""
import threading
import time
from datetime import date, timedelta

import pytest
from werkzeug import Response

from bookings.models import ExternalBlock
from calsync import sync
from calsync.messages import explain
from calsync.models import Feed, Platform

from .conftest import NOW, ics
from .corpus import corpus_dir

CORPUS = corpus_dir()
pytestmark = pytest.mark.django_db


@pytest.fixture
def feed(unit, httpserver, allow_loopback):
    return Feed.objects.create(unit=unit, platform=Platform.AIRBNB, url=httpserver.url_for("/feed.ics"))


def serve(httpserver, body: bytes, *, etag: str = '"v1"', status: int = 200):
    httpserver.clear()

    def handler(request):
        if etag and request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(body, status=status, headers={"ETag": etag} if etag else {}, content_type="text/calendar")

    httpserver.expect_request("/feed.ics").respond_with_handler(handler)


def blocks(feed):
    return list(ExternalBlock.objects.filter(feed_id=feed.pk).order_by("start").values_list("start", "end"))


def test_a_fetched_feed_blocks_its_nights_and_records_health(feed, httpserver):
    serve(httpserver, ics(("20261210", "20261214", "a@airbnb.com"), ("20270105", "20270109", "b@airbnb.com")))

    outcome = sync.sync_feed(feed=feed, now=NOW)

    assert outcome.ok and outcome.events_read == 2 and outcome.nights_blocked == 8
    assert blocks(feed) == [(date(2026, 12, 10), date(2026, 12, 14)), (date(2027, 1, 5), date(2027, 1, 9))]
    feed.refresh_from_db()
    assert (feed.last_status, feed.etag, feed.last_success_at, feed.last_error) == (200, '"v1"', NOW, "")
    assert (feed.last_events_read, feed.last_nights_blocked) == (2, 8)
    assert ExternalBlock.objects.get(uid="a@airbnb.com").source_name == "Airbnb"


def test_not_modified_feed_changes_nothing(feed, httpserver):
    serve(httpserver, ics(("20261210", "20261214", "a@airbnb.com")))
    sync.sync_feed(feed=feed, now=NOW)
    first_ids = list(ExternalBlock.objects.values_list("pk", flat=True))

    outcome = sync.sync_feed(feed=feed, now=NOW + timedelta(minutes=50))

    assert outcome.not_modified and outcome.status == 304
    assert list(ExternalBlock.objects.values_list("pk", flat=True)) == first_ids
    assert httpserver.log[-1][0].headers["If-None-Match"] == '"v1"'


def test_server_error_keeps_the_last_good_blocks_and_records_it(feed, httpserver):
    serve(httpserver, ics(("20261210", "20261214", "a@airbnb.com")))
    sync.sync_feed(feed=feed, now=NOW)
    serve(httpserver, b"oops", status=500, etag="")

    outcome = sync.sync_feed(feed=feed, now=NOW + timedelta(hours=1))

    assert outcome.error and outcome.retryable and outcome.status == 500
    assert blocks(feed) == [(date(2026, 12, 10), date(2026, 12, 14))]
    feed.refresh_from_db()
    assert feed.last_status == 500 and "500" in feed.last_error
    assert feed.last_attempt_at == NOW + timedelta(hours=1) and feed.last_success_at == NOW
    assert feed.consecutive_failures == 1


def test_html_page_is_rejected_and_keeps_blocks(feed, httpserver):
    serve(httpserver, ics(("20261210", "20261214", "a@airbnb.com")))
    sync.sync_feed(feed=feed, now=NOW)
    serve(httpserver, b"<!DOCTYPE html><html><body>Connexion requise</body></html>", etag='"v2"')

    outcome = sync.sync_feed(feed=feed, now=NOW + timedelta(hours=1))

    assert "pas un calendrier iCal (c'est une page web" in outcome.error
    assert blocks(feed) == [(date(2026, 12, 10), date(2026, 12, 14))]
    feed.refresh_from_db()
    assert feed.etag == '"v1"'  # the rejected answer's ETag is not kept: next fetch is a full one


def test_slow_server_times_out_and_keeps_blocks(feed, httpserver, settings):
    serve(httpserver, ics(("20261210", "20261214", "a@airbnb.com")))
    sync.sync_feed(feed=feed, now=NOW)
    httpserver.clear()
    release = threading.Event()

    def slow(request):
        release.wait(2.5)
        return Response(ics(), content_type="text/calendar")

    httpserver.expect_request("/feed.ics").respond_with_handler(slow)
    settings.CALSYNC_READ_TIMEOUT = 0.5
    started = time.monotonic()

    outcome = sync.sync_feed(feed=feed, now=NOW + timedelta(hours=1), conditional=False)

    release.set()  # free the (single-threaded) test server for the next test
    assert time.monotonic() - started < 2.4
    assert outcome.error and blocks(feed) == [(date(2026, 12, 10), date(2026, 12, 14))]


def test_huge_feed_is_refused(feed, httpserver):
    serve(httpserver, ics(("20261210", "20261214", "a@airbnb.com")))
    sync.sync_feed(feed=feed, now=NOW)
    serve(httpserver, b"BEGIN:VCALENDAR\r\n" + b"X-PAD:" + b"x" * (6 * 1024 * 1024) + b"\r\nEND:VCALENDAR\r\n",
          etag='"huge"')

    outcome = sync.sync_feed(feed=feed, now=NOW + timedelta(hours=1))

    assert outcome.error
    assert blocks(feed) == [(date(2026, 12, 10), date(2026, 12, 14))]


def test_blocks_are_replaced_by_the_nights_they_cover(feed, httpserver):
    serve(httpserver, ics(("20261210", "20261214", "a"), ("20270105", "20270109", "b")))
    sync.sync_feed(feed=feed, now=NOW)
    kept = ExternalBlock.objects.get(uid="b").pk
    # Same nights under a new UID (Booking.com, VRBO) + one stay gone + one new.
    serve(httpserver, ics(("20270105", "20270109", "b-renamed"), ("20270301", "20270303", "c")), etag='"v2"')

    outcome = sync.sync_feed(feed=feed, now=NOW + timedelta(hours=1))

    assert blocks(feed) == [(date(2027, 1, 5), date(2027, 1, 9)), (date(2027, 3, 1), date(2027, 3, 3))]
    assert ExternalBlock.objects.get(start=date(2027, 1, 5)).pk == kept  # unchanged nights: row kept
    assert outcome.diff.removed == [(date(2026, 12, 10), date(2026, 12, 14))]
    assert outcome.diff.added == [(date(2027, 3, 1), date(2027, 3, 3))]


@pytest.mark.corpus
def test_airbnb_window_day1_to_day2_finds_one_cancelled_and_one_changed_stay(feed, httpserver):
    serve(httpserver, (CORPUS / "synthetic/airbnb_window_day1.ics").read_bytes(), etag='"d1"')
    sync.sync_feed(feed=feed, now=NOW)
    serve(httpserver, (CORPUS / "synthetic/airbnb_window_day2.ics").read_bytes(), etag='"d2"')

    outcome = sync.sync_feed(feed=feed, now=NOW + timedelta(days=1))

    diff = outcome.diff
    assert diff.removed == [(date(2026, 12, 10), date(2026, 12, 14))]  # the cancelled stay
    assert ((date(2027, 1, 5), date(2027, 1, 9)), (date(2027, 1, 6), date(2027, 1, 11))) in diff.changed
    assert diff.added == []  # the restriction blocks moved: nothing new
    assert blocks(feed) == [(date(2026, 12, 2), date(2026, 12, 4)), (date(2027, 1, 6), date(2027, 1, 11)),
                            (date(2027, 5, 31), date(2027, 12, 2))]


def test_sudden_empty_feed_keeps_blocks_until_a_second_fetch_confirms(feed, httpserver):
    serve(httpserver, ics(("20261210", "20261214", "a"), ("20270105", "20270109", "b")))
    sync.sync_feed(feed=feed, now=NOW)
    serve(httpserver, ics(), etag='"empty"')

    first = sync.sync_feed(feed=feed, now=NOW + timedelta(minutes=50))

    assert first.kept_previous and len(blocks(feed)) == 2
    assert any("aucun événement" in w for w in first.warnings)
    feed.refresh_from_db()
    assert feed.etag == '"v1"'  # not stored, or the confirming fetch would be a 304

    second = sync.sync_feed(feed=feed, now=NOW + timedelta(minutes=100))

    assert not second.kept_previous and blocks(feed) == []


def test_cancelled_events_are_believed_at_once(feed, httpserver):
    serve(httpserver, ics(("20261210", "20261214", "a")))
    sync.sync_feed(feed=feed, now=NOW)
    body = ics(("20261210", "20261214", "a")).replace(b"SUMMARY:Reserved", b"STATUS:CANCELLED\r\nSUMMARY:Reserved")
    serve(httpserver, body, etag='"v2"')

    sync.sync_feed(feed=feed, now=NOW + timedelta(hours=1))

    assert blocks(feed) == []


def test_feed_goes_stale_after_n_failed_runs_and_owner_is_emailed_once(
        feed, httpserver, settings, mailoutbox, django_capture_on_commit_callbacks, owner):
    settings.CALSYNC_STALE_AFTER_FAILURES = 3
    serve(httpserver, b"down", status=503, etag="")

    with django_capture_on_commit_callbacks(execute=True):
        for run in range(6):
            sync.sync_feed(feed=feed, now=NOW + timedelta(minutes=50 * run))

    feed.refresh_from_db()
    assert feed.is_stale and feed.consecutive_failures == 6
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [owner.email] and "panne" in mailoutbox[0].subject

    serve(httpserver, ics(("20261210", "20261214", "a")))
    sync.sync_feed(feed=feed, now=NOW + timedelta(hours=6))
    feed.refresh_from_db()
    assert not feed.is_stale and feed.consecutive_failures == 0


def test_retries_inside_a_run_do_not_count_towards_stale(feed, httpserver):
    serve(httpserver, b"down", status=503, etag="")
    sync.sync_feed(feed=feed, now=NOW)
    sync.sync_feed(feed=feed, now=NOW + timedelta(minutes=1), count_failure=False)
    feed.refresh_from_db()
    assert feed.consecutive_failures == 1


def test_blocks_ending_in_the_past_are_not_stored(feed, httpserver):
    serve(httpserver, ics(("20200101", "20200105", "old"), ("20261210", "20261214", "a")))
    sync.sync_feed(feed=feed, now=NOW)
    assert blocks(feed) == [(date(2026, 12, 10), date(2026, 12, 14))]


def test_the_ssrf_guard_is_on_without_the_loopback_setting(feed, httpserver, settings):
    settings.CALSYNC_ALLOW_LOOPBACK = False
    serve(httpserver, ics(("20261210", "20261214", "a")))

    outcome = sync.sync_feed(feed=feed, now=NOW)

    assert outcome.error and len(httpserver.log) == 0


def test_unknown_fetcher_messages_are_shown_as_written():
    assert explain("Something new happened.") == "Something new happened."
    assert explain("The calendar is too large (over 5 MB).") == "Le calendrier est trop volumineux (plus de 5 Mo)."
