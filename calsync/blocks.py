"""A feed's blocks: what one fetch changes (described in the host's words), our own bookings
echoed back by platforms, and replacing a feed's stored blocks by the nights they cover."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from bookings import occupancy
from bookings.models import LIVE_STATUSES, Booking, ExternalBlock
from core.ranges import merge_ranges
from lodgings.models import Unit

from .models import Feed
from .parsing import ParsedBlock

# Summaries platforms give real reservations (not closures): never treated as an echo of ours.
RESERVATION_WORDS = ("reserved", "réservé", "reservee", "booked", "provisoire", "tentative")

DateRange = tuple[date, date]


def nights(ranges: list[DateRange]) -> int:
    return sum((end - start).days for start, end in merge_ranges(ranges))


@dataclass
class BlockDiff:
    """What changed between two fetches, in the host's words."""

    added: list[DateRange] = field(default_factory=list)  # nights newly taken
    changed: list[tuple[DateRange, DateRange]] = field(default_factory=list)  # moved / resized
    removed: list[DateRange] = field(default_factory=list)  # cancelled, freed
    unchanged: int = 0


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
    with transaction.atomic(), occupancy.batched():
        diff = _replace_blocks(feed=feed, blocks=blocks, today=today)
        # bulk_create sends no signal: the unit's occupied nights are rewritten here.
        occupancy.refresh_occupied([feed.unit_id])
    return diff


def _replace_blocks(*, feed: Feed, blocks: list[ParsedBlock], today: date) -> BlockDiff:
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
