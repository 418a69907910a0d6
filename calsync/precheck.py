"""The re-check of a unit's feeds before a commitment (bookings/hooks.py says which ones:
an owner's acceptance, a traveller's payment start or instant checkout; never after money
moved). Registered by CalsyncConfig.ready with `bookings.hooks.register_unit_precheck`.

Bounded: every feed of the unit is downloaded at once and waited for at most
CALSYNC_PRECHECK_TIMEOUT seconds in total; a feed that does not answer in time keeps its last
good blocks, which the availability check that follows still counts (fail open, as any
failed sync)."""
from __future__ import annotations

import logging
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
