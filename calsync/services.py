"""Calendar sync rules: fetch a feed, replace its blocks by the nights they cover, keep
the last good blocks when anything goes wrong, and alert on double bookings.

A sync runs in three steps so no database transaction is held during the download:
claim the feed (compare-and-set lease), fetch (network only), apply (one transaction).
"""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from bookings.models import LIVE_STATUSES, Booking, BookingStatus, ExternalBlock
from core.dates import PARIS, today_in_paris
from core.ranges import merge_ranges
from lodgings.models import Unit

from . import emails
from .fetching import FetchError, FetchResult, fetch_feed
from .messages import explain
from .models import DoubleBookingAlert, Feed, Platform, UnitCalendar, new_export_token
from .parsing import NotACalendar, ParsedBlock, ParseResult, parse_feed

log = logging.getLogger(__name__)
# A lease longer than any fetch (deadline + parse): a crashed worker frees the feed after it.
LEASE = timedelta(minutes=5)
PRECHECK_FRESH = timedelta(minutes=1)
# Summaries platforms give real reservations (not closures): never treated as an echo of ours.
RESERVATION_WORDS = ("reserved", "réservé", "reservee", "booked", "provisoire", "tentative")

DateRange = tuple[date, date]


class FeedError(Exception):
    """A feed the owner typed cannot be used; the message is shown next to the field."""


def nights(ranges: list[DateRange]) -> int:
    return sum((end - start).days for start, end in merge_ranges(ranges))


@dataclass
class BlockDiff:
    """What changed between two fetches, in the host's words."""

    added: list[DateRange] = field(default_factory=list)  # nights newly taken
    changed: list[tuple[DateRange, DateRange]] = field(default_factory=list)  # moved / resized
    removed: list[DateRange] = field(default_factory=list)  # cancelled, freed
    unchanged: int = 0


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


def sync_feed(*, feed: Feed, now: datetime, count_failure: bool = True, conditional: bool = True) -> SyncOutcome:
    """Fetch, parse and store one feed. Never raises for a bad feed: the outcome says what
    happened and the feed row records it. `count_failure=False` for retries inside one run,
    so a feed goes stale after N failed *runs*, not N attempts."""
    if not claim(feed, now=now):
        return SyncOutcome(feed_id=feed.pk, skipped=True)
    finished = False
    try:
        feed.refresh_from_db()  # under the lease: the latest ETag and health
        try:
            result: FetchResult | FetchError = download(feed, conditional=conditional)
        except FetchError as error:
            result = error
        outcome = apply(feed=feed, result=result, now=now, count_failure=count_failure, refresh=False)
        finished = True  # apply's final save released the lease
        return outcome
    finally:
        if not finished:
            release(feed)


def apply(*, feed: Feed, result: FetchResult | FetchError, now: datetime, count_failure: bool = True,
          refresh: bool = True) -> SyncOutcome:
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
        parsed = parse_feed(result.content or b"", zone=PARIS, today=today_in_paris(now))
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


def drop_echoes(*, unit: Unit, blocks: list[ParsedBlock]) -> tuple[list[ParsedBlock], int]:
    """Platforms that import our export publish our bookings back as plain closures
    ("Airbnb (Not available)", "Blocked"…). Such a closure with exactly the dates of one of
    our live bookings is our own booking: storing it would refuse that booking's payment
    and raise a false double-booking alert. Anything labelled as a reservation, or not
    matching a booking exactly, is kept (a real double booking must never be silent)."""
    ours = set(Booking.objects.filter(unit=unit, status__in=LIVE_STATUSES).values_list("arrival", "departure"))
    kept = [b for b in blocks if (b.start, b.end) not in ours or _is_reservation(b)]
    return kept, len(blocks) - len(kept)


def _is_reservation(block: ParsedBlock) -> bool:
    summary = block.summary.casefold()
    return block.tentative or any(word in summary for word in RESERVATION_WORDS)


def replace_blocks(*, feed: Feed, blocks: list[ParsedBlock], today: date) -> BlockDiff:
    """Replace the feed's rows with `blocks`, comparing by the nights covered: platforms
    give a block a new UID when its dates change, so UIDs only help to name the change."""
    old = list(ExternalBlock.objects.filter(feed_id=feed.pk))
    diff = describe_changes(old=[(r.start, r.end, r.uid) for r in old if r.end > today],
                            new=[(b.start, b.end, b.uid) for b in blocks])
    wanted: dict[tuple, ParsedBlock] = {(b.start, b.end, b.tentative): b for b in blocks}
    stale_ids = []
    for row in old:
        block = wanted.pop((row.start, row.end, row.tentative), None)
        if block is None:
            stale_ids.append(row.pk)
        elif (row.uid, row.summary, row.source_name) != (block.uid[:255], block.summary[:255], feed.display_name):
            row.uid, row.summary, row.source_name = block.uid[:255], block.summary[:255], feed.display_name
            row.save(update_fields=["uid", "summary", "source_name"])
    ExternalBlock.objects.filter(pk__in=stale_ids).delete()
    ExternalBlock.objects.bulk_create([
        ExternalBlock(unit_id=feed.unit_id, feed_id=feed.pk, source_name=feed.display_name, start=b.start,
                      end=b.end, uid=b.uid[:255], summary=b.summary[:255], tentative=b.tentative)
        for b in wanted.values()])
    return diff


def describe_changes(*, old: list[tuple[date, date, str]], new: list[tuple[date, date, str]]) -> BlockDiff:
    """Pair old and new blocks: same dates → unchanged; same UID → dates changed; new
    dates overlapping old ones → moved (restriction blocks shift daily with new UIDs);
    whatever is left is a cancellation (old) or a new booking (new)."""
    diff = BlockDiff()
    old_left, new_left = list(old), []
    for item in new:
        same = next((o for o in old_left if o[:2] == item[:2]), None)
        if same:
            old_left.remove(same)
            diff.unchanged += 1
        else:
            new_left.append(item)
    for matcher in (lambda o, n: o[2] and o[2] == n[2], lambda o, n: o[0] < n[1] and n[0] < o[1]):
        for item in list(new_left):
            match = next((o for o in old_left if matcher(o, item)), None)
            if match:
                old_left.remove(match)
                new_left.remove(item)
                diff.changed.append(((match[0], match[1]), (item[0], item[1])))
    diff.added = sorted((n[0], n[1]) for n in new_left)
    diff.removed = sorted((o[0], o[1]) for o in old_left)
    return diff


# --- Double bookings --------------------------------------------------------------------------

def detect_double_bookings(*, unit: Unit, now: datetime) -> list[DoubleBookingAlert]:
    """An imported block on the nights of a confirmed booking: one alert (and one email to
    the owner and to staff) per booking, feed and block dates; overlaps gone are resolved."""
    today = today_in_paris(now)
    confirmed = list(Booking.objects.filter(unit=unit, status=BookingStatus.CONFIRMED, departure__gt=today))
    blocks = list(ExternalBlock.objects.filter(unit=unit, end__gt=today)) if confirmed else []
    seen, created = set(), []
    for booking in confirmed:
        for block in blocks:
            if block.start < booking.departure and booking.arrival < block.end:
                seen.add((booking.pk, block.feed_id, block.start, block.end))
                alert = _alert_once(unit=unit, booking=booking, block=block, now=now)
                if alert is not None:
                    created.append(alert)
    _resolve_gone(unit=unit, seen=seen, now=now)
    return created


def _alert_once(*, unit: Unit, booking: Booking, block: ExternalBlock, now: datetime) -> DoubleBookingAlert | None:
    feed_id = block.feed_id  # delete_feed removes a feed's blocks with it, so the row exists
    open_alert = DoubleBookingAlert.objects.filter(booking=booking, feed_id=feed_id, resolved_at__isnull=True)
    if open_alert.exists():  # the same conflict, the block just moved: already told
        return None
    alert, created = DoubleBookingAlert.objects.get_or_create(
        booking=booking, feed_id=feed_id, block_start=block.start, block_end=block.end,
        defaults={"unit": unit, "source_name": block.source_name, "block_summary": block.summary,
                  "detected_at": now})
    if not created:
        return None
    transaction.on_commit(lambda: emails.double_booking(alert.pk))
    return alert


def _resolve_gone(*, unit: Unit, seen: set, now: datetime) -> None:
    """An alert whose booking no longer overlaps anything from that feed (stay cancelled on
    the other platform, or our booking cancelled) leaves the dashboard banner."""
    still = {(booking_id, feed_id) for booking_id, feed_id, _start, _end in seen}
    for alert in DoubleBookingAlert.objects.filter(unit=unit, resolved_at__isnull=True):
        if (alert.booking_id, alert.feed_id) not in still:
            alert.resolved_at = now
            alert.save(update_fields=["resolved_at"])


def resolve_alert(*, alert: DoubleBookingAlert, now: datetime) -> None:
    """The owner says it is handled (alternative found or refund made)."""
    DoubleBookingAlert.objects.filter(pk=alert.pk, resolved_at__isnull=True).update(resolved_at=now)


# --- Re-check before money moves --------------------------------------------------------------

def precheck_unit(*, unit: Unit, now: datetime, budget: float | None = None) -> list[SyncOutcome]:
    """Re-fetch every feed of the unit at once, for at most `budget` seconds in total.
    A feed that does not answer in time keeps its last good blocks (it still counts)."""
    budget = settings.CALSYNC_PRECHECK_TIMEOUT if budget is None else budget
    # A feed read less than a minute ago is fresh enough (and platforms rate-limit callers).
    recent = Q(last_attempt_at__gt=now - PRECHECK_FRESH)
    feeds = [f for f in Feed.objects.filter(unit=unit).exclude(recent).select_related("unit") if claim(f, now=now)]
    if not feeds:
        return []
    pool = ThreadPoolExecutor(max_workers=min(len(feeds), 8), thread_name_prefix="calsync-precheck")
    try:
        futures = {pool.submit(download, f, timeout=(budget, budget), deadline=budget): f for f in feeds}
        done, _late = wait_futures(futures, timeout=budget)
        outcomes = []
        for future, feed in futures.items():
            result = _result_of(future) if future in done else None
            # A failure here is often the precheck's short budget, not the feed's fault: the
            # regular job records feed health; the last good blocks keep counting meanwhile.
            if isinstance(result, FetchResult):
                outcomes.append(apply(feed=feed, result=result, now=now, count_failure=False))
        return outcomes
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        for feed in feeds:
            release(feed)


def _result_of(future) -> FetchResult | FetchError:
    exc = future.exception()
    if exc is None:
        return future.result()
    if isinstance(exc, FetchError):
        return exc
    log.error("unexpected error while fetching a feed", exc_info=exc)
    return FetchError(_("Erreur inattendue pendant le téléchargement du calendrier."))


def on_booking_confirmed(sender, *, booking: Booking, **kwargs) -> None:
    """Receiver of bookings.signals.booking_confirmed (sent on commit): a block imported
    while the payment went through is alerted at once, not at the next sync."""
    from django.utils import timezone

    if not booking.unit_id:
        return
    try:
        with transaction.atomic():
            detect_double_bookings(unit=booking.unit, now=timezone.now())
    except Exception:  # the payment is done; the next sync detects it again
        log.exception("double-booking check failed for booking %s", booking.pk)


def on_unit_commitment_pending(sender, *, unit: Unit, **kwargs) -> None:
    """Receiver of bookings.signals.unit_commitment_pending: never breaks the booking flow."""
    from django.utils import timezone

    try:
        precheck_unit(unit=unit, now=timezone.now())
    except Exception:  # the availability check that follows still sees the last good blocks
        log.exception("calendar precheck failed for unit %s", unit.pk)


# --- Feeds and export link ----------------------------------------------------------------------

def add_feed(*, unit: Unit, platform: str, name: str, url: str, now: datetime) -> Feed:
    url = url.strip()
    if Feed.objects.filter(unit=unit, url=url).exists():
        raise FeedError(_("Ce lien iCal est déjà importé pour cette unité."))
    if _is_our_export(url, unit):
        raise FeedError(_("C'est le lien d'export Alma Heritage de cette unité : collez-le sur l'autre plateforme, "
                          "pas ici."))
    # Synced at once by the view ("Enregistrer & Synchroniser"); then with the others.
    return Feed.objects.create(unit=unit, platform=platform or Platform.OTHER, name=name.strip(), url=url,
                               next_run_at=now + timedelta(minutes=settings.CALSYNC_INTERVAL_MINUTES))


def _is_our_export(url: str, unit: Unit) -> bool:
    token = UnitCalendar.objects.filter(unit=unit).values_list("token", flat=True).first()
    return bool(token) and token in url


def delete_feed(*, feed: Feed) -> None:
    """The feed and its blocks go: those nights become free on Alma Heritage."""
    with transaction.atomic():
        ExternalBlock.objects.filter(feed_id=feed.pk).delete()
        feed.delete()


def export_calendar(*, unit: Unit) -> UnitCalendar:
    calendar, _created = UnitCalendar.objects.get_or_create(unit=unit)
    return calendar


def regenerate_token(*, unit: Unit, now: datetime) -> UnitCalendar:
    """A new secret link; the old one answers 404 from now on."""
    calendar = export_calendar(unit=unit)
    calendar.token = new_export_token()
    calendar.regenerated_at = now
    calendar.save(update_fields=["token", "regenerated_at"])
    return calendar


# --- The periodic job -------------------------------------------------------------------------

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
