"""Limits, results and small date helpers shared by the parser's modules."""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from time import monotonic as _monotonic
from typing import TypeVar

# Safety limits: a feed is untrusted input.
MAX_INSTANCES_PER_RULE = 5000
MAX_RULE_STEPS = 50_000
MAX_BLOCKS = 50_000
MAX_WARNINGS = 50
MAX_DURATION_DAYS = 36_600
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


OUT_OF_TIME = "The calendar is too complex to be read in time."
T = TypeVar("T")


class _OutOfTime(BaseException):
    """Raised in the parsing thread by its clock. A BaseException, so that no library's
    ``except Exception`` can swallow it."""


class Clock:
    """The parse's deadline. Our own loops check it; `run` enforces it inside the libraries
    too, whatever they do: when it passes, a watcher thread raises _OutOfTime in the parsing
    thread (CPython's PyThreadState_SetAsyncExc, delivered between two bytecodes), again
    every 50 ms until the parse gives up."""

    def __init__(self, budget: float):
        self.ends_at = _monotonic() + budget

    def check(self) -> None:
        if _monotonic() > self.ends_at:
            raise TooComplex(OUT_OF_TIME)

    def run(self, work: Callable[[], T]) -> T:
        target = threading.get_ident()
        lock, stop = threading.Lock(), threading.Event()
        state = {"armed": True, "fired": False}

        def watch() -> None:
            delay = max(0.0, self.ends_at - _monotonic())
            while not stop.wait(delay):
                with lock:
                    if not state["armed"]:
                        return
                    state["fired"] = True
                    _raise_in(target, _OutOfTime)
                delay = 0.05

        def disarm() -> None:
            with lock:
                state["armed"] = False
                if state["fired"]:
                    _raise_in(target, None)  # drop an exception not delivered yet

        watcher = threading.Thread(target=watch, name="calsync-parse-clock", daemon=True)
        watcher.start()
        try:
            try:
                return work()
            finally:
                # The exception may land anywhere until the watcher is disarmed, even here:
                # disarm again until it is (the work is done by then: its result stands).
                while True:
                    try:
                        disarm()
                        break
                    except _OutOfTime:
                        pass
                stop.set()
                watcher.join()
        except _OutOfTime:
            raise TooComplex(OUT_OF_TIME) from None


def _raise_in(thread_id: int, exception: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                               ctypes.py_object(exception) if exception else None)


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
