"""Syncing one feed: fetch it, replace its blocks by the nights they cover, keep the last
good blocks when anything goes wrong, record the feed's health, and look for double bookings.

A sync runs in three steps so no database transaction is held during the download:
claim the feed (compare-and-set lease), download (network only), apply (one transaction).
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from bookings.models import ExternalBlock
from core.dates import PARIS, today_in_paris

from . import emails
from .blocks import BlockDiff, drop_echoes, nights, replace_blocks
from .conflicts import detect_double_bookings
from .fetching import FetchError, FetchResult, fetch_feed
from .messages import explain
from .models import Feed
from .parsing import NotACalendar, ParseResult, parse_feed

log = logging.getLogger(__name__)
# A lease longer than any fetch (deadline + parse): a crashed worker frees the feed after it.
LEASE = timedelta(minutes=5)


@dataclass
class SyncOutcome:
    feed_id: int
    skipped: bool = False  # another sync holds the feed
    ok: bool = False
    not_modified: bool = False
    error: str = ""
    retryable: bool = False  # a download problem worth retrying soon
    status: int | None = None
    events_read: int = 0
    nights_blocked: int = 0
    warnings: list[str] = field(default_factory=list)
    diff: BlockDiff | None = None
    kept_previous: bool = False  # zero-events guard held the old blocks
    new_alerts: int = 0


# --- Lease ---------------------------------------------------------------------------------

def claim(feed: Feed, *, now: datetime) -> bool:
    """Take the feed for one sync; False when another sync holds it (compare-and-set)."""
    free = Q(sync_started_at__isnull=True) | Q(sync_started_at__lt=now - LEASE)
    return Feed.objects.filter(free, pk=feed.pk).update(sync_started_at=now) == 1


def release(feed: Feed) -> None:
    Feed.objects.filter(pk=feed.pk).update(sync_started_at=None)


# --- Fetch -------------------------------------------------------------------------------

def download(feed: Feed, *, timeout: tuple[float, float] | None = None, deadline: float | None = None,
             conditional: bool = True) -> FetchResult:
    """Network only (no database): the conditional GET of the feed."""
    return fetch_feed(
        feed.url,
        etag=(feed.etag or None) if conditional else None,
        last_modified=(feed.last_modified or None) if conditional else None,
        timeout=timeout or (settings.CALSYNC_CONNECT_TIMEOUT, settings.CALSYNC_READ_TIMEOUT),
        deadline=deadline or settings.CALSYNC_FETCH_DEADLINE,
        allow_loopback=settings.CALSYNC_ALLOW_LOOPBACK,
    )


def sync_feed(*, feed: Feed, now: datetime, count_failure: bool = True, conditional: bool = True,
              deadline: float | None = None) -> SyncOutcome:
    """Fetch, parse and store one feed. Never raises for a bad feed: the outcome says what
    happened and the feed row records it. `count_failure=False` for retries inside one run,
    so a feed goes stale after N failed *runs*, not N attempts. `deadline` bounds download and
    parse together (an owner's request passes CALSYNC_INTERACTIVE_DEADLINE)."""
    if not claim(feed, now=now):
        return SyncOutcome(feed_id=feed.pk, skipped=True)
    finished = False
    started = time.monotonic()
    try:
        feed.refresh_from_db()  # under the lease: the latest ETag and health
        try:
            result: FetchResult | FetchError = download(feed, conditional=conditional, deadline=deadline)
        except FetchError as error:
            result = error
        outcome = apply(feed=feed, result=result, now=now, count_failure=count_failure, refresh=False,
                        parse_budget=_parse_budget(deadline, started))
        finished = True  # apply's final save released the lease
        log.info("feed %s synced: %s", feed.pk, "ok" if outcome.ok else "failed",
                 extra={"feed": feed.pk, "ok": outcome.ok, "not_modified": outcome.not_modified,
                        "http_status": outcome.status, "events_read": outcome.events_read,
                        "duration_ms": round((time.monotonic() - started) * 1000)})
        return outcome
    finally:
        if not finished:
            release(feed)


def _parse_budget(deadline: float | None, started: float) -> float | None:
    """What is left of an interactive deadline for parsing (at least a little)."""
    if deadline is None:
        return None
    return max(0.2, deadline - (time.monotonic() - started))


def apply(*, feed: Feed, result: FetchResult | FetchError, now: datetime, count_failure: bool = True,
          refresh: bool = True, parse_budget: float | None = None) -> SyncOutcome:
    """Turn a download (or its failure) into blocks and feed health."""
    if refresh:
        feed.refresh_from_db()
    feed.sync_started_at = None  # saved with the result: one write records it and frees the feed
    if isinstance(result, FetchError):
        return _failed(feed, now=now, message=explain(str(result)), status=result.status, retryable=True,
                       count_failure=count_failure)
    if result.not_modified:
        return _succeeded(feed, now=now, status=result.status, not_modified=True)
    try:
        parsed = parse_feed(result.content or b"", zone=PARIS, today=today_in_paris(now),
                            budget=parse_budget or settings.CALSYNC_PARSE_BUDGET)
    except NotACalendar as exc:
        message = _("Le contenu reçu n'est pas un calendrier iCal (%(detail)s). Les blocages précédents "
                    "sont conservés.") % {"detail": explain(str(exc))}
        return _failed(feed, now=now, message=message, status=result.status, retryable=False,
                       count_failure=count_failure)
    return _store(feed, parsed=parsed, result=result, now=now)


def _failed(feed: Feed, *, now: datetime, message: str, status: int | None, retryable: bool,
            count_failure: bool) -> SyncOutcome:
    """Keep the last good blocks; record the error, the time and the HTTP status."""
    feed.last_attempt_at = now
    feed.last_error = message
    feed.last_status = status
    if count_failure:
        feed.consecutive_failures += 1
    feed.save(update_fields=["last_attempt_at", "last_error", "last_status", "consecutive_failures",
                             "sync_started_at"])
    if feed.consecutive_failures >= settings.CALSYNC_STALE_AFTER_FAILURES:
        _mark_stale(feed, now=now)
    log.info("feed %s failed: %s", feed.pk, message)
    return SyncOutcome(feed_id=feed.pk, error=message, status=status, retryable=retryable)


def _mark_stale(feed: Feed, *, now: datetime) -> None:
    # Compare-and-set: of all the failing runs, only the one that flips the flag emails.
    if Feed.objects.filter(pk=feed.pk, is_stale=False).update(is_stale=True, stale_notified_at=now) == 1:
        feed.is_stale, feed.stale_notified_at = True, now
        transaction.on_commit(lambda: emails.feed_stale(feed.pk))


def _succeeded(feed: Feed, *, now: datetime, status: int, not_modified: bool = False,
               result: FetchResult | None = None, warnings: list[str] | None = None,
               more_fields: tuple[str, ...] = ()) -> SyncOutcome:
    feed.last_attempt_at = feed.last_success_at = now
    feed.last_status, feed.last_error = status, ""
    feed.consecutive_failures, feed.is_stale = 0, False
    fields = ["last_attempt_at", "last_success_at", "last_status", "last_error", "consecutive_failures",
              "is_stale", "sync_started_at", *more_fields]
    if result is not None:
        feed.etag, feed.last_modified = result.etag or "", result.last_modified or ""
        feed.last_warnings = warnings or []
        fields += ["etag", "last_modified", "last_warnings"]
    feed.save(update_fields=fields)
    # Even on a 304: a payment confirmed while this block was being written (two
    # transactions that could not see each other) is caught here at the latest.
    new_alerts = detect_double_bookings(unit=feed.unit, now=now)
    return SyncOutcome(feed_id=feed.pk, ok=True, not_modified=not_modified, status=status,
                       events_read=feed.last_events_read, nights_blocked=feed.last_nights_blocked,
                       warnings=list(feed.last_warnings), new_alerts=len(new_alerts))


def _store(feed: Feed, *, parsed: ParseResult, result: FetchResult, now: datetime) -> SyncOutcome:
    today = today_in_paris(now)
    blocks = [b for b in parsed.blocks if b.end > today]  # stays from years ago (Expedia) are history
    blocks, echoes = drop_echoes(unit=feed.unit, blocks=blocks)
    warnings = list(parsed.warnings)
    if echoes:
        warnings.append(_("%(count)s blocage(s) identique(s) à vos réservations Alma Heritage (renvoyés par la "
                          "plateforme) ont été ignorés.") % {"count": echoes})
    had_blocks = ExternalBlock.objects.filter(feed_id=feed.pk, end__gt=today).exists()
    with transaction.atomic():
        # The feed's row lock makes writing its blocks safe whatever the lease did: a second
        # sync of the feed (a download that outlived its lease) waits here until the first
        # commits, then reads the blocks it wrote and replaces them, instead of adding its own
        # beside them (two syncs gave 20 blocks instead of 10). SQLite's IMMEDIATE
        # transactions serialise the same way. A feed deleted meanwhile gets no blocks.
        if not Feed.objects.select_for_update().filter(pk=feed.pk).exists():
            return SyncOutcome(feed_id=feed.pk, skipped=True)
        if parsed.events_read == 0 and had_blocks and feed.empty_fetches == 0:
            return _hold_on_empty(feed, parsed=parsed, result=result, now=now)
        diff = replace_blocks(feed=feed, blocks=blocks, today=today)
        feed.empty_fetches = 0
        feed.last_events_read = parsed.events_read
        feed.last_nights_blocked = nights([(b.start, b.end) for b in blocks])
        outcome = _succeeded(feed, now=now, status=result.status, result=result, warnings=warnings,
                             more_fields=("empty_fetches", "last_events_read", "last_nights_blocked"))
    outcome.diff = diff
    return outcome


def _hold_on_empty(feed: Feed, *, parsed: ParseResult, result: FetchResult, now: datetime) -> SyncOutcome:
    """A feed that had nights and suddenly has none: platforms do send transient empty
    feeds. Keep the blocks until a second fetch in a row confirms it. The ETag is not
    stored, so the next fetch is a full one and can confirm."""
    warning = _("Le calendrier reçu ne contient aucun événement alors qu'il en avait : les blocages précédents "
                "sont conservés jusqu'à la prochaine synchronisation, qui confirmera.")
    feed.empty_fetches = 1
    feed.last_events_read = parsed.events_read
    feed.last_attempt_at = feed.last_success_at = now
    feed.last_status, feed.last_error = result.status, ""
    feed.consecutive_failures, feed.is_stale = 0, False
    feed.last_warnings = [*parsed.warnings, warning]
    feed.save(update_fields=["empty_fetches", "last_events_read", "last_attempt_at", "last_success_at",
                             "last_status", "last_error", "consecutive_failures", "is_stale", "last_warnings",
                             "sync_started_at"])
    return SyncOutcome(feed_id=feed.pk, ok=True, status=result.status, events_read=parsed.events_read,
                       nights_blocked=feed.last_nights_blocked, warnings=list(feed.last_warnings),
                       kept_previous=True)
