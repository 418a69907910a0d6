"""Limits, results and small date helpers shared by the parser's modules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from time import monotonic as _monotonic

# Safety limits: a feed is untrusted input.
MAX_INSTANCES_PER_RULE = 5000
MAX_RULE_STEPS = 50_000
MAX_BLOCKS = 50_000
MAX_WARNINGS = 50
MAX_DEPTH = 8  # components nested deeper than this are ignored
MAX_DURATION_DAYS = 36_600
RULE_BUDGET_SECONDS = 10.0  # total time spent expanding recurrence rules per feed
# Caps that keep a hostile file linear and short (docs/calendar-sync.md#limits):
MAX_NESTING = 50  # BEGIN blocks open at once; deeper: the file is refused
MAX_COMPONENTS = 100_000  # BEGIN blocks in the file; more: refused
MAX_LINE_LENGTH = 256 * 1024  # characters of one unfolded line; longer lines are skipped
MAX_ZONE_RULES = 50  # STANDARD/DAYLIGHT rules of one VTIMEZONE; more: a fixed offset is used
MAX_OCCURRENCES = 50_000  # instances of all events together; more: refused
PARSE_BUDGET_SECONDS = 10.0  # the whole parse; slower: refused (the last good blocks stay)

MARKER_SUMMARIES = frozenset({"check-in", "check-out"})

Value = date | datetime  # datetimes handled here are always tz-aware
Span = int | timedelta  # nights for all-day events, length for timed ones
Warn = Callable[[str], None]


class NotACalendar(Exception):
    """The whole file is rejected: keep the blocks of the last good fetch."""


class TooComplex(NotACalendar):
    """A cap was hit: the file is refused as a whole (rather than half read)."""


class Clock:
    """The parse's own deadline, checked at every loop that depends on the file."""

    def __init__(self, budget: float):
        self.ends_at = _monotonic() + budget

    def check(self) -> None:
        if _monotonic() > self.ends_at:
            raise TooComplex("The calendar is too complex to be read in time.")


@dataclass(frozen=True)
class ParsedBlock:
    """One occupied range of nights coming from one event (or one instance)."""

    start: date
    end: date  # exclusive: the departure day is free
    uid: str
    summary: str
    tentative: bool = False
    # ISO start of the original instance for recurring events, "" otherwise.
    recurrence_id: str = ""


@dataclass
class ParseResult:
    blocks: list[ParsedBlock]
    warnings: list[str]
    events_read: int

    @property
    def is_empty_calendar(self) -> bool:
        """A valid calendar without any VEVENT: suspicious, not an error."""
        return self.events_read == 0


def add_months(day: date, months: int) -> date:
    """Calendar month arithmetic, clamping the day (Aug 31 + 6 months = Feb 28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, d))
        except ValueError:
            continue
    return date(year, month, 28)
