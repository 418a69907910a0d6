"""Each unit's occupied nights kept as one PostgreSQL `datemultirange` column,
`lodgings_unit.occupied`: the union of its live bookings (holds included: a checkout holds
its nights until it expires), its imported calendar blocks and its lodging's suspensions.

Search and the availability API read that one column instead of three tables
(docs/performance.md#search). It is a copy, so it is rewritten from the rows in the same
transaction as every write to them: `refresh_occupied`, called by the signal receivers below
for every save and delete of a booking, block or suspension (services, admin, demo data), and
explicitly after the bulk writes that send no signal (calendar sync's `bulk_create`).
The exclusion constraint on live stays (migration 0003) stays the guarantee against double
bookings; the column only answers "is it free?" faster.

The column exists on PostgreSQL only (migration 0007; Django has no field for it and never
reads or writes it): on SQLite every function here does nothing and search keeps the NOT
EXISTS subqueries of `availability.free_units`.
"""
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date

from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

from lodgings.models import Suspension, Unit

from .models import LIVE_STATUSES, Booking, ExternalBlock

# The nights a unit cannot be booked, from the rows (the truth the column copies).
TAKEN_NIGHTS_SQL = f"""
    SELECT daterange(b.arrival, b.departure) AS nights FROM {Booking._meta.db_table} b
     WHERE b.unit_id = u.id AND b.status IN ({", ".join(f"'{s}'" for s in LIVE_STATUSES)})
    UNION ALL
    SELECT daterange(e.start, e."end") FROM {ExternalBlock._meta.db_table} e WHERE e.unit_id = u.id
    UNION ALL
    SELECT daterange(s.start, s."end") FROM {Suspension._meta.db_table} s WHERE s.lodging_id = u.lodging_id
"""
OCCUPIED_FROM_ROWS_SQL = f"COALESCE((SELECT range_agg(nights) FROM ({TAKEN_NIGHTS_SQL}) AS taken), '{{}}')"

# The units' rows are locked in id order first: two transactions refreshing the same units
# queue instead of deadlocking (the unit's row lock comes after the booking's, docs/locks.md).
_REFRESH_SQL = f"""
    WITH locked AS (SELECT id FROM {Unit._meta.db_table}
                     WHERE id = ANY(%(units)s) OR lodging_id = ANY(%(lodgings)s) ORDER BY id FOR UPDATE)
    UPDATE {Unit._meta.db_table} AS u SET occupied = {OCCUPIED_FROM_ROWS_SQL}
      FROM locked WHERE u.id = locked.id
"""

# Sent after the column is rewritten (on SQLite too, where there is no column): the nights a
# search or a calendar shows changed. `units` and `lodgings` are lists of ids.
occupied_changed = Signal()

# Inside `batched()`: the units and lodgings to refresh once at the end.
_pending: ContextVar[tuple[set, set] | None] = ContextVar("occupancy_pending", default=None)


def enabled() -> bool:
    return connection.vendor == "postgresql"


def refresh_occupied(unit_ids: Iterable[int] = (), *, lodging_ids: Iterable[int] = ()) -> None:
    """Rewrite the column of these units (and of every unit of these lodgings) from the rows,
    in the caller's transaction: one UPDATE."""
    units, lodgings = [u for u in unit_ids if u], [lo for lo in lodging_ids if lo]
    if not (units or lodgings):
        return
    pending = _pending.get()
    if pending is not None:
        pending[0].update(units)
        pending[1].update(lodgings)
        return
    if enabled():
        with connection.cursor() as cursor:
            cursor.execute(_REFRESH_SQL, {"units": units, "lodgings": lodgings})
    occupied_changed.send(sender=Unit, units=units, lodgings=lodgings)


@contextmanager
def batched() -> Iterator[None]:
    """Many writes, one refresh at the end (calendar sync deletes and adds blocks by the dozen)."""
    if _pending.get() is not None:
        yield
        return
    token = _pending.set((set(), set()))
    try:
        yield
        units, lodgings = _pending.get()
    finally:
        _pending.reset(token)
    refresh_occupied(units, lodging_ids=lodgings)


def refresh_all() -> None:
    """Every unit (the migration that adds the column, benchmark data made by bulk inserts)."""
    if enabled():
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {Unit._meta.db_table} AS u SET occupied = {OCCUPIED_FROM_ROWS_SQL}")


def occupied_within(unit_id: int, start: date, end: date) -> list[tuple[date, date]]:
    """The unit's occupied nights within [start, end), merged and clipped, from the column:
    one statement (PostgreSQL; availability.occupied_ranges)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT lower(r), upper(r) FROM {Unit._meta.db_table} u, "
                       "unnest(u.occupied * datemultirange(daterange(%s, %s))) AS r WHERE u.id = %s ORDER BY 1",
                       [start, end, unit_id])
        return [(a, b) for a, b in cursor.fetchall()]


def is_free(unit_id: int, start: date, end: date) -> bool:
    """No occupied night in [start, end), from the column (PostgreSQL; availability.unit_is_free)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT NOT (occupied && daterange(%s, %s)) FROM {Unit._meta.db_table} WHERE id = %s",
                       [start, end, unit_id])
        row = cursor.fetchone()
    return bool(row and row[0])


def mismatched_units() -> list[int]:
    """Units whose column differs from their rows (tests; a check after a restore)."""
    if not enabled():
        return []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT u.id FROM {Unit._meta.db_table} u "
                       f"WHERE u.occupied IS DISTINCT FROM {OCCUPIED_FROM_ROWS_SQL} ORDER BY u.id")
        return [row[0] for row in cursor.fetchall()]


# --- Every save and delete of the three sources -------------------------------------------

_BOOKING_FIELDS = {"status", "unit", "unit_id", "arrival", "departure"}


def _booking_saved(sender, instance: Booking, update_fields=None, **kwargs) -> None:
    if instance.unit_id and (update_fields is None or _BOOKING_FIELDS & set(update_fields)):
        refresh_occupied([instance.unit_id])


def _booking_deleted(sender, instance: Booking, **kwargs) -> None:
    refresh_occupied([instance.unit_id])


def _block_changed(sender, instance: ExternalBlock, update_fields=None, **kwargs) -> None:
    if update_fields is None or {"start", "end", "unit", "unit_id"} & set(update_fields):
        refresh_occupied([instance.unit_id])


def _suspension_changed(sender, instance: Suspension, **kwargs) -> None:
    refresh_occupied(lodging_ids=[instance.lodging_id])


def _unit_created(sender, instance: Unit, created: bool, **kwargs) -> None:
    """A room added to a suspended lodging starts suspended too."""
    if created:
        refresh_occupied([instance.pk])


def connect_signals() -> None:
    post_save.connect(_booking_saved, sender=Booking, dispatch_uid="occupancy_booking_saved")
    post_delete.connect(_booking_deleted, sender=Booking, dispatch_uid="occupancy_booking_deleted")
    post_save.connect(_block_changed, sender=ExternalBlock, dispatch_uid="occupancy_block_saved")
    post_delete.connect(_block_changed, sender=ExternalBlock, dispatch_uid="occupancy_block_deleted")
    post_save.connect(_suspension_changed, sender=Suspension, dispatch_uid="occupancy_suspension_saved")
    post_save.connect(_unit_created, sender=Unit, dispatch_uid="occupancy_unit_created")
    post_delete.connect(_suspension_changed, sender=Suspension, dispatch_uid="occupancy_suspension_deleted")
