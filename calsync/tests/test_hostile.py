"""A feed an owner controls, written as the attack (docs/calendar-sync.md#limits): hostile
calendars are refused or read within a bound, and no owner's or traveller's request waits
on a slow feed server for more than its short deadline."""
import threading
import time
from datetime import date, timedelta

import pytest
from django.urls import reverse

from bookings.models import ExternalBlock
from calsync import precheck, sync
from calsync.models import Feed, Platform
from calsync.parsing import NotACalendar, TooComplex, parse_feed

from . import hostile
from .conftest import NOW, ics
from .trickle import TrickleServer

TODAY = date(2026, 12, 1)


def _our_threads() -> int:
    """threading.active_count() without the hostile server's own threads."""
    return threading.active_count() - sum(t.name.startswith("trickle") for t in threading.enumerate())


def timed_parse(content: bytes, **kwargs):
    started = time.monotonic()
    try:
        result = parse_feed(content, today=TODAY, **kwargs)
    except NotACalendar as refused:
        result = refused
    return result, time.monotonic() - started


def test_100000_deep_nesting_is_refused_at_once():
    result, elapsed = timed_parse(hostile.deep_nesting(100_000))  # before: over 60 s
    assert isinstance(result, TooComplex) and "deep" in str(result)
    assert elapsed < 2


def test_a_vtimezone_with_1000_rules_is_read_within_a_bound():
    result, elapsed = timed_parse(hostile.many_zone_rules(1_000))  # before: 23 s here, over 60 s measured
    assert elapsed < 2
    assert [(b.start, b.end) for b in result.blocks] == [(date(2027, 1, 10), date(2027, 1, 12))]
    assert any("too many rules" in w for w in result.warnings)


def test_a_5_mb_folded_line_is_skipped_in_linear_time():
    result, elapsed = timed_parse(hostile.folded_line())  # before: 54 s
    assert elapsed < 2
    assert [(b.start, b.end) for b in result.blocks] == [(date(2027, 1, 10), date(2027, 1, 12)),
                                                         (date(2027, 1, 20), date(2027, 1, 21))]


def test_endless_recurrences_are_refused_not_half_read():
    """Half a calendar would free nights that are taken: refuse it, the last good blocks stay."""
    result, elapsed = timed_parse(hostile.many_recurrences(2_000))  # before: 13 s, 50,000 blocks kept
    assert isinstance(result, TooComplex)
    assert elapsed < 5


def test_the_total_parse_time_is_capped(monkeypatch):
    # Only the clock may stop this parse: on a fast machine the occurrence cap would come first.
    monkeypatch.setattr("calsync.parsing.events.MAX_OCCURRENCES", 10**9)
    result, elapsed = timed_parse(hostile.many_recurrences(2_000), budget=0.5)
    assert isinstance(result, TooComplex) and "in time" in str(result)
    assert elapsed < 1.5  # the budget plus one check interval, on a loaded machine


def test_the_parse_time_limit_holds_inside_the_libraries(monkeypatch):
    """icalendar and recurring-ical-events run loops of their own: with our own checks off,
    the clock still stops the parse at its budget, and leaves no thread behind."""
    content = hostile.many_events(40_000)
    monkeypatch.setattr("calsync.parsing.model.Clock.check", lambda self: None)
    threads_before = threading.active_count()
    result, elapsed = timed_parse(content, budget=0.3)
    assert isinstance(result, TooComplex) and "in time" in str(result)
    assert elapsed < 1.0
    assert threading.active_count() == threads_before
    # The same file within a budget that suffices: the clock leaves a finished parse alone.
    small, _ = timed_parse(hostile.many_events(20), budget=5)
    assert {(b.start, b.end) for b in small.blocks} == {(date(2027, 1, 10), date(2027, 1, 12))}
    assert len(small.blocks) == 20


def test_one_feeds_time_zone_never_changes_another_feeds():
    """Exchange names every custom zone "Customized Time Zone": each feed's own VTIMEZONE
    counts (icalendar would keep the first one it met for the whole process)."""
    def feed(offset: bytes) -> bytes:
        return (hostile.HEAD + b"BEGIN:VTIMEZONE\r\nTZID:Customized Time Zone\r\nBEGIN:STANDARD\r\n"
                b"DTSTART:16010101T000000\r\nTZOFFSETFROM:" + offset + b"\r\nTZOFFSETTO:" + offset +
                b"\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:x\r\n"
                b"DTSTART;TZID=Customized Time Zone:20270110T230000\r\n"
                b"DTEND;TZID=Customized Time Zone:20270110T233000\r\nEND:VEVENT\r\n" + hostile.TAIL)

    east, _ = timed_parse(feed(b"+0500"))  # 23:00 at +05:00 is 19:00 in Paris: the 10th
    west, _ = timed_parse(feed(b"-0500"))  # 23:00 at -05:00 is 05:00 in Paris: the 11th
    assert [b.start for b in east.blocks] == [date(2027, 1, 10)]
    assert [b.start for b in west.blocks] == [date(2027, 1, 11)]




@pytest.fixture
def feed(unit, allow_loopback):
    return Feed.objects.create(unit=unit, platform=Platform.AIRBNB, url="http://127.0.0.1:9/never.ics")


@pytest.mark.django_db
def test_the_precheck_ends_within_3_seconds_on_a_trickling_server_and_leaves_no_thread(feed, unit, settings):
    ExternalBlock.objects.create(unit=unit, feed_id=feed.pk, source_name="Airbnb", start=date(2026, 12, 20),
                                 end=date(2026, 12, 22), uid="kept")
    settings.CALSYNC_PRECHECK_TIMEOUT = 3.0
    with TrickleServer("body", every=0.5) as server:
        Feed.objects.filter(pk=feed.pk).update(url=server.url())
        threads_before = _our_threads()
        started = time.monotonic()
        precheck.precheck_unit(unit=unit, now=NOW)
        elapsed = time.monotonic() - started
        threads_after = _our_threads()
    assert elapsed < 3.2
    assert threads_after == threads_before  # no download left running
    assert ExternalBlock.objects.filter(unit=unit, uid="kept").exists()  # fails open: last good blocks count


@pytest.mark.django_db
def test_the_precheck_bounds_fetch_and_parse_together(feed, unit, settings, httpserver):
    """The 143 KB feed that made a booking request take 9 s: fetched fast, parsed within the rest."""
    settings.CALSYNC_PRECHECK_TIMEOUT = 3.0
    httpserver.expect_request("/tz.ics").respond_with_data(hostile.many_recurrences(2_000),
                                                           content_type="text/calendar")
    Feed.objects.filter(pk=feed.pk).update(url=httpserver.url_for("/tz.ics"))
    started = time.monotonic()
    precheck.precheck_unit(unit=unit, now=NOW)
    assert time.monotonic() - started < 3.2


@pytest.mark.django_db
def test_enregistrer_et_synchroniser_waits_at_most_the_interactive_deadline(owner_client, unit, allow_loopback):
    allow_loopback.CALSYNC_INTERACTIVE_DEADLINE = 2.0
    page = reverse("calsync_unit_feeds", args=[unit.pk])
    owner_client.get(page)  # warm: the bound is about the feed server, not the first request's imports
    with TrickleServer("headers", every=0.5) as server:
        started = time.monotonic()
        owner_client.post(page, {"platform": "airbnb", "url": server.url()})
        elapsed = time.monotonic() - started
    assert elapsed < 3.0  # before: 50 s, for ever with an endless trickle
    assert "trop de temps" in Feed.objects.get(unit=unit).last_error


@pytest.mark.django_db
def test_a_private_address_is_refused_when_the_feed_is_saved(owner_client, unit):
    response = owner_client.post(reverse("calsync_unit_feeds", args=[unit.pk]),
                                 {"platform": "airbnb", "url": "https://[fec0::1]/cal.ics"})
    assert not Feed.objects.filter(unit=unit).exists()  # before: saved and retried every 50 minutes
    assert "serveur public" in response.context["form"].errors["url"][0]


@pytest.mark.django_db
def test_a_refused_fetch_keeps_the_last_good_blocks(feed, unit, httpserver, now):
    httpserver.expect_request("/good.ics").respond_with_data(ics(("20261220", "20261222", "a")))
    Feed.objects.filter(pk=feed.pk).update(url=httpserver.url_for("/good.ics"))
    feed.refresh_from_db()
    assert sync.sync_feed(feed=feed, now=now).ok
    httpserver.clear()
    httpserver.expect_request("/good.ics").respond_with_data(hostile.deep_nesting(1_000))
    outcome = sync.sync_feed(feed=feed, now=now + timedelta(hours=1))
    assert outcome.error and ExternalBlock.objects.filter(feed_id=feed.pk).count() == 1
