"""Aggregates over all of an owner's bookings, kept in the shared cache under the version of
their bookings (issue 14).

The dashboard's lists show counts that read every booking of the owner: the filter tabs of
« Réservations » (5,000 bookings: ~1.2 ms of PostgreSQL a page), the number of clients
(~0.9 ms), the payments to come on « Paiements » (~1 ms). Their rows come by pages and are
read each time; these counts are kept:

    counts, keep = kept(owner_id, f"tab-counts:{today}")
    if counts is None:
        counts = compute()
        keep(counts)

The version is a token in the cache, replaced after the commit of any write to one of the
owner's bookings (receivers in bookings/apps.py) or to what a kept count reads besides (the
ledger's "booking ended" transactions: `replace_version` in payouts/ledger.py). A reader
keeps what it computed under the version it read *before* computing, so a write committed
meanwhile leaves that entry outdated at once. A missing version (never set, evicted) is set
with `add` so that it never overwrites a newer one; a value computed then is not kept.

Off (`OWNER_AGGREGATES_CACHE_SECONDS = 0`, the zero-setup default) unless the cache is shared
by every process: the worker's writes (an unanswered request expiring) must reach the site's
processes (settings/production.py turns it on with CACHE_URL)."""
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction


def _version_key(owner_id: int) -> str:
    return f"bookings:owner:{owner_id}:version"


def kept(owner_id: int, name: str) -> tuple[Any | None, Callable[[Any], None]]:
    """(the value kept as `name` for this owner's current bookings, or None; a function that
    keeps a value computed now). One cache round trip."""
    seconds = settings.OWNER_AGGREGATES_CACHE_SECONDS
    if seconds <= 0:
        return None, _keep_nothing
    version_key, key = _version_key(owner_id), f"bookings:owner:{owner_id}:{name}"
    found = cache.get_many([version_key, key])
    version = found.get(version_key)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(version_key, version, None):
            return None, _keep_nothing  # set by another process meanwhile: maybe by a write
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        return entry[1], _keep_nothing

    def keep(value) -> None:
        cache.set(key, (version, value), seconds)

    return None, keep


def _keep_nothing(_value) -> None:
    pass


def replace_version(owner_ids) -> None:
    """After the commit of the transaction in progress (at once outside one): every value
    kept for these owners is outdated."""
    owner_ids = {owner_id for owner_id in owner_ids if owner_id is not None}
    if owner_ids and settings.OWNER_AGGREGATES_CACHE_SECONDS > 0:
        transaction.on_commit(lambda: cache.set_many(
            {_version_key(owner_id): uuid.uuid4().hex for owner_id in owner_ids}, None))


def booking_written(sender, instance, **kwargs) -> None:
    """post_save and post_delete of a booking."""
    replace_version([instance.owner_id])
