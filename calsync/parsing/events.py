"""Events to occupied nights.

The file is read by `icalendar` once the pre-pass (prepass.py) has mended it, and the
recurrences (RRULE, RDATE, EXDATE, RECURRENCE-ID overrides, RANGE=THISANDFUTURE) are expanded
by `recurring-ical-events`. What stays ours: time zones as the platforms write them
(zones.py), the values the libraries would read differently from what the platforms mean
(an all-day series with date-time overrides, a date UNTIL, a DTEND before DTSTART), the caps,
and what blocks a night (status, tentative, Check-in/Check-out markers).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from icalendar import Calendar
from icalendar.cal.component import Component
from icalendar.prop import vBroken, vDDDTypes
from recurring_ical_events import EventAdapter, Occurrence, Series

from core.dates import PARIS
from core.ranges import merge_ranges

from .model import (
    MARKER_SUMMARIES,
    MAX_BLOCKS,
    MAX_INSTANCES_PER_RULE,
    MAX_OCCURRENCES,
    MAX_RULE_STEPS,
    MAX_WARNINGS,
    PARSE_BUDGET_SECONDS,
    Clock,
    NotACalendar,
    ParsedBlock,
    ParseResult,
    Span,
    TooComplex,
    Value,
    add_months,
)
from .prepass import prepare
from .zones import _is_utc, _Zones

# The search span of a series. Naive on purpose: recurring-ical-events reads a naive bound
# in the series' own zone (and all-day series as naive midnights).
FAR = datetime(9000, 1, 1)  # noqa: DTZ001 - the end of the search for events without a rule
EARLY = datetime(1900, 1, 1)  # noqa: DTZ001


@dataclass
class _Event:
    index: int
    uid: str
    summary: str
    status: str
    start: Value | None
    span: Span | None  # None: no DTEND/DURATION given
    rrules: list[str] = field(default_factory=list)  # rule texts for dateutil, UNTIL mended
    rdates: list[tuple[Value, Span | None]] = field(default_factory=list)
    exdates: list[Value] = field(default_factory=list)
    rid: Value | None = None
    rid_future: bool = False
    sequence: int = 0
    invalid: bool = False  # reported and skipped (e.g. ends before it starts)
    bounded: bool = True  # every rule has a COUNT or an UNTIL

    @property
    def all_day(self) -> bool:
        return self.start is not None and not isinstance(self.start, datetime)

    @property
    def label(self) -> str:
        return self.uid or self.summary or f"event #{self.index}"


# ------------------------------------------------------------ recurring-ical-events


class _Adapter(EventAdapter):
    """One VEVENT as recurring-ical-events sees it, from the values as we read them: the
    library expands them, we decide what they are (zones, all-day overrides, UNTIL)."""

    def __init__(self, event: _Event, key: str, span: Span):
        ids = Component()  # what the library reads from the component itself
        ids["UID"], ids["SEQUENCE"] = key, event.sequence
        if event.rid is not None:
            ids["RECURRENCE-ID"] = vDDDTypes(event.rid)
            if event.rid_future:
                ids["RECURRENCE-ID"].params["RANGE"] = "THISANDFUTURE"
        super().__init__(ids)
        self.event, self._length = event, span

    @property
    def raw_start(self) -> Value:
        return self.event.start

    @property
    def raw_end(self) -> Value:
        return _end(self.event.start, self._length)

    @property
    def exdates(self) -> list[Value]:
        return self.event.exdates

    @property
    def rrules(self) -> set[str]:
        return set(self.event.rrules)

    @property
    def rdates(self) -> list:
        return [value if span is None else (value, span) for value, span in self.event.rdates]

    def has_recurrence_rules(self) -> bool:
        return bool(self.event.rrules or self.event.rdates or self.event.exdates)


class _Instance(Occurrence):
    def __init__(self, adapter: _Adapter, start=None, end=None, sequence: int = -1):
        super().__init__(adapter, start, end, sequence)
        self.event = adapter.event

    def is_in_span(self, span_start, span_stop) -> bool:
        # The rule stops at the span already; _expand cuts at the horizon by the unit's
        # date, as cheaply as it can (the library's check cost 40 % of a long expansion).
        return True


class _Series(Series):
    def occurrence(self, adapter, start=None, end=None) -> _Instance:
        return _Instance(adapter, start, end, sequence=self.sequence)


def _end(start: Value, span: Span) -> Value:
    if isinstance(start, datetime):
        return start + (span if isinstance(span, timedelta) else timedelta(days=span))
    return start + timedelta(days=span if isinstance(span, int) else max(1, span.days))


@dataclass
class _Occurrence:
    start: Value
    end: Value
    event: _Event  # master or override providing summary/status
    recurrence_id: str


# ------------------------------------------------------------------------ the reader


class _Parser:
    def __init__(self, *, zone: tzinfo, horizon: date, budget: float = PARSE_BUDGET_SECONDS):
        self.zone = zone
        self.horizon = horizon
        self.warnings: list[str] = []
        self.clock = Clock(budget)

    def warn(self, message: str) -> None:
        if message not in self.warnings and len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(message)

    def parse(self, content: bytes) -> ParseResult:
        prepared = prepare(content, self.warn, self.clock)
        if prepared.calendars > 1:
            self.warn(f"The file holds {prepared.calendars} calendars: all were read.")
        try:
            calendars = Calendar.from_ical(prepared.text, multiple=True)
        except ValueError as exc:  # the pre-pass leaves nothing that should stop it
            raise NotACalendar("The calendar could not be read.") from exc
        zones = _Zones(prepared.zones, self.zone, self.warn)
        events: list[_Event] = []
        events_read = 0
        for calendar in calendars:
            floating = self._floating_zone(calendar, zones)
            for child in calendar.subcomponents:
                if child.name == "VEVENT":
                    self.clock.check()
                    event = self._read_event(len(events) + 1, child, zones, floating)
                    if event is not None:
                        events.append(event)
                    events_read += 1
        if not events_read:
            self.warn(
                "The calendar is valid but contains no events: check the feed before "
                "removing the nights it blocked until now."
            )
        occurrences = self._occurrences(events)
        blocks = self._blocks(occurrences)
        return ParseResult(blocks=blocks, warnings=self.warnings, events_read=events_read)

    def _floating_zone(self, calendar: Component, zones: _Zones) -> tzinfo:
        # Times without TZID or Z are read in the calendar's X-WR-TIMEZONE if it names
        # a real zone, else in the unit's zone.
        name = _text(calendar, "X-WR-TIMEZONE")
        return (zones.known(name) if name else None) or self.zone

    # -- one VEVENT

    def _localize(self, value: object, params, zones: _Zones, floating: tzinfo) -> Value | None:
        """A DATE stays a date; a DATE-TIME gets the zone its TZID means to us (icalendar's
        guess is replaced: an IANA name wins over a VTIMEZONE, Windows names are mapped)."""
        if isinstance(value, datetime):
            tzid = (params or {}).get("TZID")
            if tzid:
                return value.replace(tzinfo=zones.get(str(tzid)))
            return value if value.tzinfo is not None else value.replace(tzinfo=floating)
        if isinstance(value, date):
            return value
        return None

    def _value(self, comp: Component, name: str, zones: _Zones, floating: tzinfo, label: str) -> Value | None:
        prop = _first(comp, name)
        if prop is None:
            return None
        value = self._localize(_dt(prop), getattr(prop, "params", None), zones, floating)
        if value is None:
            self.warn(f"Unreadable {name} in {label}.")
        return value

    def _values(self, comp: Component, name: str, zones: _Zones, floating: tzinfo,
                label: str) -> list[tuple[Value, Span | None]]:
        """RDATE/EXDATE: lists of values, possibly PERIODs (start/end|duration)."""
        out: list[tuple[Value, Span | None]] = []
        for prop in _all(comp, name):
            for item in [] if isinstance(prop, vBroken) else getattr(prop, "dts", None) or []:
                raw, span = _dt(item), None
                if isinstance(raw, tuple):
                    raw, end = raw
                    if isinstance(end, timedelta):
                        span = end
                    elif isinstance(end, datetime) and isinstance(raw, datetime):
                        start = self._localize(raw, prop.params, zones, floating)
                        end = self._localize(end, prop.params, zones, floating)
                        span = end - start if start and end else None
                    if isinstance(span, timedelta) and span < timedelta(0):
                        span = None
                value = self._localize(raw, prop.params, zones, floating)
                if value is None:
                    self.warn(f"Unreadable {name} value in {label}: ignored.")
                    continue
                out.append((value, span))
            if isinstance(prop, vBroken) or not hasattr(prop, "dts"):
                self.warn(f"Unreadable {name} in {label}: ignored.")
        return out

    def _read_event(self, index: int, comp: Component, zones: _Zones, floating: tzinfo) -> _Event | None:
        try:
            return self._read_event_props(index, comp, zones, floating)
        except (TooComplex, NotACalendar):
            raise
        except Exception:
            label = _text(comp, "UID") or _text(comp, "SUMMARY")[:60] or f"event #{index}"
            self.warn(f"{label}: event could not be read and was skipped.")
            return None

    def _read_event_props(self, index: int, comp: Component, zones: _Zones, floating: tzinfo) -> _Event:
        uid = _text(comp, "UID")
        summary = re.sub(r"[\x00-\x1f\x7f]+", " ", _text(comp, "SUMMARY"))[:200].strip()
        label = uid or summary or f"event #{index}"
        start = self._value(comp, "DTSTART", zones, floating, label)
        rid_prop = _first(comp, "RECURRENCE-ID")
        try:
            sequence = int(_text(comp, "SEQUENCE") or 0)
        except ValueError:
            sequence = 0
        event = _Event(
            index=index, uid=uid, summary=summary, status=_text(comp, "STATUS").upper(), start=start, span=None,
            rid=self._value(comp, "RECURRENCE-ID", zones, floating, label),
            rid_future=bool(rid_prop is not None
                            and str(getattr(rid_prop, "params", {}).get("RANGE", "")).upper() == "THISANDFUTURE"),
            sequence=sequence,
        )
        if start is not None:
            try:
                event.span = self._span(comp, start, zones, floating, label)
            except _Invalid as exc:
                self.warn(f"{exc}: event skipped.")
                event.invalid = True
            event.rrules = self._rules(comp, event)
        rdates = self._values(comp, "RDATE", zones, floating, label)
        exdates = [v for v, _ in self._values(comp, "EXDATE", zones, floating, label)]
        if start is not None:
            # recurring-ical-events compares like with like: an all-day series gets dates,
            # a timed one date-times (a DATE there means that day at DTSTART's time).
            event.rdates = [(self._like(v, start), None if event.all_day else s) for v, s in rdates]
            event.exdates = [self._like(v, start, exclusion=True) for v in exdates]
        return event

    def _like(self, value: Value, start: Value, *, exclusion: bool = False) -> Value:
        if not isinstance(start, datetime):
            return _date_key(value, self.zone)
        if isinstance(value, datetime):
            return value
        if exclusion:
            return value  # a DATE EXDATE removes the instance of that day
        return datetime.combine(value, start.timetz())

    def _span(self, comp: Component, start: Value, zones: _Zones, floating: tzinfo, label: str) -> Span | None:
        """Length of the event (None: no end given); _Invalid if it ends first."""
        end = self._value(comp, "DTEND", zones, floating, label) if _first(comp, "DTEND") is not None else None
        dur_prop = _first(comp, "DURATION")
        duration = _dt(dur_prop)
        if not isinstance(duration, timedelta):
            if dur_prop is not None and end is None:
                self.warn(f"Unreadable DURATION in {label}: ignored.")
            duration = None
        if not isinstance(start, datetime):  # all-day
            if end is not None:
                if isinstance(end, datetime):
                    self.warn(f"{label}: DTSTART is a date but DTEND a date-time; the date of DTEND was used.")
                    end = end.date()
                if end < start:
                    raise _Invalid(f"{label}: DTEND {end} is before DTSTART {start}")
                return max(1, (end - start).days)
            if duration is not None:
                if duration < timedelta(0):
                    raise _Invalid(f"{label}: negative DURATION")
                return max(1, duration.days)
            return None
        if end is not None:
            if not isinstance(end, datetime):
                end = datetime.combine(end, time(0), tzinfo=start.tzinfo)
            if end.astimezone(UTC) < start.astimezone(UTC):
                raise _Invalid(f"{label}: DTEND {_show(end)} is before DTSTART {_show(start)}")
            return max(timedelta(0), end - start)
        if duration is not None:
            if duration < timedelta(0):
                raise _Invalid(f"{label}: negative DURATION")
            return duration
        return None

    def _rules(self, comp: Component, event: _Event) -> list[str]:
        """The event's RRULEs as dateutil reads them, or none with a warning: sub-daily rules
        (they mean nothing for nights), unreadable ones, rules that never match."""
        rules: list[str] = []
        for prop in _all(comp, "RRULE"):
            if not isinstance(prop, dict):
                self.warn(f"{event.label}: unreadable RRULE {str(prop)[:60]!r} ignored.")
                continue
            parts = {key.upper(): value for key, value in prop.items()}
            freq = str((parts.get("FREQ") or [""])[0]).upper()
            if freq in ("SECONDLY", "MINUTELY", "HOURLY"):
                self.warn(f"{event.label}: {freq} recurrence ignored.")
                continue
            until = self._until(parts.pop("UNTIL", [None])[0], event)
            allowed = {
                "FREQ", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY",
                "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST",
            }  # fmt: skip
            kept = type(prop)({key: value for key, value in parts.items() if key in allowed})
            text = kept.to_ical().decode()
            if until is not None:
                text += f";UNTIL={until}"
            dtstart = event.start if not event.all_day else datetime.combine(event.start, time(0))
            try:
                feasible = _can_match(text, dtstart.replace(year=9600, tzinfo=UTC))
            except Exception:
                self.warn(f"{event.label}: unreadable RRULE {text[:60]!r} ignored.")
                continue
            if not feasible:
                self.warn(f"{event.label}: RRULE {text[:60]!r} never matches; ignored.")
                continue
            event.bounded = event.bounded and (until is not None or "COUNT" in parts)
            rules.append(text)
        return rules

    def _until(self, value: object, event: _Event) -> str | None:
        # UNTIL may be a DATE, a UTC or a floating DATE-TIME whatever DTSTART is. Compare
        # instants: a DATE means midnight in the series' zone; all-day series are expanded
        # as midnights in UTC (as naive date-times: what recurring-ical-events does).
        if value is None:
            return None
        start = event.start
        if isinstance(value, datetime):
            if value.tzinfo is None:
                value = value.replace(tzinfo=UTC if event.all_day else start.tzinfo)
        elif isinstance(value, date):
            if not event.all_day:
                self.warn(f"{event.label}: RRULE UNTIL is a date but DTSTART a date-time; UNTIL read as midnight.")
            value = datetime.combine(value, time(0), tzinfo=UTC if event.all_day else start.tzinfo)
        else:
            self.warn(f"{event.label}: unreadable RRULE UNTIL ignored.")
            return None
        i = value.astimezone(UTC)
        return f"{i.year:04d}{i.month:02d}{i.day:02d}T{i.hour:02d}{i.minute:02d}{i.second:02d}" + (
            "" if event.all_day else "Z")

    # -- series and instances

    def _occurrences(self, events: list[_Event]) -> list[_Occurrence]:
        masters: dict[str, list[_Event]] = {}
        overrides: dict[str, list[_Event]] = {}
        without_uid = 0
        for event in events:
            if not event.uid:
                without_uid += 1
            if event.invalid:
                continue
            key = event.uid or f"\x00{event.index}"
            (overrides if event.rid is not None else masters).setdefault(key, []).append(event)
        if without_uid:
            self.warn(f"{without_uid} event(s) have no UID.")

        self._count_instances([m for group in masters.values() for m in group if m.start and m.rrules])
        self.total = 0
        occurrences: list[_Occurrence] = []
        for key in list(masters) + [k for k in overrides if k not in masters]:
            self.clock.check()
            try:
                occurrences += self._series(key, masters.get(key, []), overrides.get(key, []))
            except TooComplex:
                raise
            except Exception:
                label = (masters.get(key) or overrides.get(key))[0].label
                self.warn(f"{label}: event could not be read and was skipped.")
        return occurrences

    def _series(self, key: str, masters: list[_Event], overrides: list[_Event]) -> list[_Occurrence]:
        # One override per RECURRENCE-ID: the highest SEQUENCE (then the last) wins.
        chosen: dict[tuple[object, bool], _Event] = {}
        for override in overrides:
            ident = (override.rid, override.rid_future)
            previous = chosen.get(ident)
            if previous is None or override.sequence >= previous.sequence:
                chosen[ident] = override
        pending = list(chosen.values())
        out: list[_Occurrence] = []
        live = [m for m in masters if m.start is not None]
        for master in masters:
            if master.start is None:
                self.warn(f"{master.label}: event without DTSTART skipped.")
        if any(m.status == "CANCELLED" for m in live):
            pending = []  # a cancelled series takes its moved instances with it
            live = [m for m in live if m.status != "CANCELLED"]
        if not live:  # overrides without their series: each stands alone
            for override in pending:
                if override.start is None:
                    self.warn(f"{override.label}: event with only a RECURRENCE-ID skipped.")
                    continue
                span = override.span if override.span is not None else (1 if override.all_day else timedelta(0))
                out.append(_Occurrence(override.start, _end(override.start, span), override, ""))
            return out
        for master in live:
            span = _default_span(master)
            if not (pending or master.rrules or master.rdates or master.exdates):
                # Most events: one stay, nothing to expand (the library's series cost a third
                # of the parse of a 2,000-event feed).
                out.append(_Occurrence(master.start, _end(master.start, span), master, ""))
                self.total += 1
                continue
            adapters = [_Adapter(master, key, span)]
            for override in pending:
                override.rid = self._rid_like(override.rid, master)
                if override.start is None:  # it still names its instance (and may cancel it)
                    override.start = override.rid
                own = override.span if override.span is not None else span
                adapters.append(_Adapter(override, key, own))
            out += self._expand(_Series(adapters), master)
        return out

    def _stop(self, master: _Event) -> date:
        return self.horizon if not master.bounded else add_months(self.horizon, 120)

    def _count_instances(self, masters: list[_Event]) -> None:
        """Refuse a file whose rules repeat too often before recurring-ical-events expands
        them: counting with dateutil alone is several times cheaper."""
        total = 0
        for master in masters:
            stop = self._stop(master)
            dtstart = master.start if not master.all_day else datetime.combine(master.start, time(0))
            for rule in master.rrules:
                count = 0  # a series keeps its latest MAX_INSTANCES_PER_RULE: only they count
                for steps, value in enumerate(rrulestr(rule, dtstart=dtstart, cache=False), 1):
                    if not steps % 512:
                        self.clock.check()
                    if steps > MAX_RULE_STEPS or _day(value, self.zone) >= stop:
                        break
                    count = min(count + 1, MAX_INSTANCES_PER_RULE)
                    if total + count > MAX_OCCURRENCES:
                        raise TooComplex(f"The calendar repeats its events more than {MAX_OCCURRENCES} times.")
                total += count

    def _rid_like(self, rid: Value, master: _Event) -> Value:
        # Exchange writes an all-day series' RECURRENCE-ID as a date-time, others a timed
        # one's as a date: the override still names that instance.
        if master.all_day:
            return _date_key(rid, self.zone)
        if not isinstance(rid, datetime):
            return datetime.combine(rid, master.start.timetz())
        return rid

    def _expand(self, series: _Series, master: _Event) -> list[_Occurrence]:
        """The instances of one series. Rules without COUNT/UNTIL stop at the horizon; bounded
        ones run to their end within sanity limits, keeping the latest instances."""
        recurs = bool(master.rrules or master.rdates)
        stop: date | None = None
        stop_at = FAR
        if master.rrules:
            stop = self._stop(master)
            stop_at = datetime.combine(stop, time(0))
        kept: deque[_Occurrence] = deque(maxlen=MAX_INSTANCES_PER_RULE)
        steps = 0
        for instance in series.between(EARLY, stop_at):
            steps += 1
            if not steps % 512:
                self.clock.check()
            if steps > MAX_RULE_STEPS:
                self.warn(f"{master.label}: recurrence cut after {MAX_RULE_STEPS} instances.")
                break
            event = instance.event
            if stop is not None and _day(instance.start, self.zone) >= stop:
                continue
            rid = event.rid if event.rid is not None else instance.start
            kept.append(_Occurrence(instance.start, instance.end, event, rid.isoformat() if recurs else ""))
        if steps > MAX_INSTANCES_PER_RULE:
            self.warn(f"{master.label}: only the last {MAX_INSTANCES_PER_RULE} instances were kept.")
        self.total += len(kept)
        if self.total > MAX_OCCURRENCES:
            raise TooComplex(f"The calendar repeats its events more than {MAX_OCCURRENCES} times.")
        return list(kept)

    # -- blocks

    def _nights(self, start: Value, end: Value) -> tuple[date, date]:
        if not isinstance(start, datetime):
            last = end.date() if isinstance(end, datetime) else end
            return start, max(last, start + timedelta(days=1))
        first = start.astimezone(self.zone).date()
        last = end.astimezone(self.zone).date()
        # Rule C1: [date(start), date(end)), but a same-day event blocks its date.
        return (first, last) if last > first else (first, first + timedelta(days=1))

    def _blocks(self, occurrences: list[_Occurrence]) -> list[ParsedBlock]:
        blocks: dict[tuple, ParsedBlock] = {}
        stays: list[tuple[date, date]] = []  # all-day blocks, for the markers
        markers: list[tuple[date, _Event]] = []
        tentative_warned: set[str] = set()
        for count, occ in enumerate(occurrences):
            if not count % 1024:
                self.clock.check()
            event = occ.event
            if event.status == "CANCELLED":
                continue
            try:
                start, end = self._nights(occ.start, occ.end)
            except (OverflowError, ValueError):
                self.warn(f"{event.label}: dates out of range, skipped.")
                continue
            if isinstance(occ.start, datetime) and event.summary.lower() in MARKER_SUMMARIES:
                markers.append((start, event))
                continue
            tentative = event.status == "TENTATIVE"
            if tentative and event.label not in tentative_warned:
                tentative_warned.add(event.label)
                self.warn(f"{event.label}: tentative event ({start} to {end}) blocks the nights but is not confirmed.")
            if not isinstance(occ.start, datetime):
                stays.append((start, end))
            block = ParsedBlock(start, end, event.uid, event.summary, tentative, occ.recurrence_id)
            blocks[(start, end, event.uid, event.summary, tentative)] = block
            if len(blocks) >= MAX_BLOCKS:
                self.warn("Too many events: the feed was only partly read.")
                break

        # Smoobu-style Check-in / Check-out markers beside an all-day stay are not
        # occupancies (the Check-out one would block the departure day).
        merged = merge_ranges(stays)
        starts = [first for first, _ in merged]
        for day, event in markers:
            i = bisect_right(starts, day) - 1
            if i < 0 or day > merged[i][1]:  # not within [arrival, departure] of a stay
                block = ParsedBlock(day, day + timedelta(days=1), event.uid, event.summary)
                blocks[(day, block.end, event.uid, event.summary, False)] = block
        return sorted(blocks.values(), key=lambda b: (b.start, b.end, b.uid))


def _default_span(event: _Event) -> Span:
    if event.span is not None:
        return event.span
    return 1 if event.all_day else timedelta(0)


def _day(value: Value, zone: tzinfo) -> date:
    return value.astimezone(zone).date() if isinstance(value, datetime) else value


def _date_key(value: Value, zone: tzinfo) -> date:
    """The calendar date of a value used against an all-day series."""
    if not isinstance(value, datetime):
        return value
    # A UTC value stands for an instant: take its date in the unit's zone. A value
    # with a TZID (Exchange writes RECURRENCE-ID as local midnight) keeps its date.
    return value.astimezone(zone).date() if _is_utc(value.tzinfo) else value.date()


def _dt(prop: object) -> object:
    """The value icalendar read, None where it could not (a broken property)."""
    return None if prop is None or isinstance(prop, vBroken) else getattr(prop, "dt", None)


def _first(comp: Component, name: str):
    value = comp.get(name)
    return value[0] if isinstance(value, list) and value else value


def _all(comp: Component, name: str) -> list:
    value = comp.get(name)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(comp: Component, name: str) -> str:
    value = _first(comp, name)
    return str(value).strip() if value is not None else ""


@lru_cache(maxsize=256)
def _can_match(text: str, probe_start: datetime) -> bool:
    """False for rules that never produce a date (e.g. BYMONTH=2;BYMONTHDAY=30); raises for
    a rule dateutil cannot read.

    dateutil only gives up on such rules at year 9999, after millions of steps; the
    same rule started in year 9600 (a leap year, one 400-year Gregorian cycle before
    the end) tells the same in at most one cycle. Cached: feeds repeat their rules.
    """
    probe = ";".join(p for p in text.split(";") if not p.startswith(("COUNT=", "UNTIL=")))
    return next(iter(rrulestr(probe, dtstart=probe_start)), None) is not None


class _Invalid(Exception):
    """An event that must be skipped and reported (e.g. it ends before it starts)."""


def _show(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M")


def parse_feed(
    content: bytes,
    *,
    zone: ZoneInfo = PARIS,
    today: date,
    horizon: date | None = None,
    budget: float = PARSE_BUDGET_SECONDS,
) -> ParseResult:
    """Read a feed and return the nights it blocks.

    ``zone`` is the unit's zone: timed values become dates there. Rules without an
    end are expanded up to ``horizon`` (default: ``today`` + 18 months). ``budget`` is the
    most seconds the whole parse may take, whatever the libraries do: a slower file raises
    ``TooComplex`` (a ``NotACalendar``), as a file over any other cap does.
    """
    if horizon is None:
        horizon = add_months(today, 18)
    parser = _Parser(zone=zone, horizon=horizon, budget=budget)
    try:
        return parser.clock.run(lambda: parser.parse(content))
    except NotACalendar:
        raise
    except Exception as exc:
        # Last-resort guard: an unexpected failure must behave like a failed fetch
        # (keep the previous blocks), never like an empty calendar.
        raise NotACalendar("The calendar could not be read.") from exc
