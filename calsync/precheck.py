"""The re-check of a unit's feeds before a commitment (bookings/hooks.py says which ones:
an owner's acceptance, a traveller's payment start or instant checkout; never after money
moved). Registered by CalsyncConfig.ready with `bookings.hooks.register_unit_precheck`.

Bounded: CALSYNC_PRECHECK_TIMEOUT seconds in total for downloading and parsing. Every feed of
the unit is downloaded at once with a wall-clock deadline of two thirds of it (the fetcher cuts
the socket whatever the server does, so no download thread outlives the call), and the rest is
the parse budget. A feed that does not answer or parse in time keeps its last good blocks,
which the availability check that follows still counts: fail open, as any failed sync
(README.md, "Calendar safety", says why)."""
from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from lodgings.models import Unit

from .fetching import FetchError, FetchResult
from .models import Feed
from .sync import SyncOutcome, apply, claim, download, release

log = logging.getLogger(__name__)
# A feed read less than this long ago is fresh enough (and platforms rate-limit callers).
PRECHECK_FRESH = timedelta(minutes=1)


def precheck_unit(*, unit: Unit, now: datetime, budget: float | None = None) -> list[SyncOutcome]:
    """Re-fetch every feed of the unit at once, for at most `budget` seconds in total.
    A feed that does not answer in time keeps its last good blocks (it still counts)."""
    budget = settings.CALSYNC_PRECHECK_TIMEOUT if budget is None else budget
    started = time.monotonic()
    fetch_deadline = budget * 2 / 3
    recent = Q(last_attempt_at__gt=now - PRECHECK_FRESH)
    feeds = [f for f in Feed.objects.filter(unit=unit).exclude(recent).select_related("unit") if claim(f, now=now)]
    if not feeds:
        return []
    pool = ThreadPoolExecutor(max_workers=min(len(feeds), 8), thread_name_prefix="calsync-precheck")
    all_done = False
    try:
        futures = {pool.submit(download, f, timeout=(fetch_deadline, fetch_deadline), deadline=fetch_deadline): f
                   for f in feeds}
        # The downloads end at their own deadline; the margin covers thread start-up.
        done, late = wait_futures(futures, timeout=fetch_deadline + 0.3)
        all_done = not late
        outcomes = []
        for future, feed in futures.items():
            result = _result_of(future) if future in done else None
            # A failure here is often the precheck's short budget, not the feed's fault: the
            # regular job records feed health; the last good blocks keep counting meanwhile.
            if isinstance(result, FetchResult):
                left = budget - (time.monotonic() - started)
                outcomes.append(apply(feed=feed, result=result, now=now, count_failure=False,
                                      parse_budget=max(0.1, left)))
        return outcomes
    finally:
        # Waiting is free when every download ended; one stuck outside the socket (a DNS
        # answer that never comes) is left to end on its own rather than hold the booking.
        pool.shutdown(wait=all_done, cancel_futures=True)
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
