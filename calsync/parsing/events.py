"""Events to occupied nights: status, markers, recurrence and overrides."""

from __future__ import annotations

import re
import time as clock
from bisect import bisect_right
from collections import deque
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from core.dates import PARIS
from core.ranges import merge_ranges

from .lines import _build_tree, _check_envelope, _Component, _decode, _Prop, _unfold
from .model import (
    MARKER_SUMMARIES,
    MAX_BLOCKS,
    MAX_INSTANCES_PER_RULE,
    MAX_OCCURRENCES,
    MAX_RULE_STEPS,
    MAX_WARNINGS,
    PARSE_BUDGET_SECONDS,
    RULE_BUDGET_SECONDS,
    Clock,
    NotACalendar,
    ParsedBlock,
    ParseResult,
    Span,
    TooComplex,
    Value,
    add_months,
)
from .values import _carrier, _date_key, _parse_duration, _parse_value
from .zones import _Zones

# ----------------------------------------------------------------------------- events


@dataclass
class _Event:
    index: int
    uid: str
    summary: str
    status: str
    start: Value | None
    span: Span | None  # None: no DTEND/DURATION given
    rrules: list[str]
    rdates: list[tuple[Value, Span | None]]
    exdates: list[Value]
    rid: Value | None
    rid_future: bool
    sequence: int
    invalid: bool = False  # reported and skipped (e.g. ends before it starts)

    @property
    def all_day(self) -> bool:
        return self.start is not None and not isinstance(self.start, datetime)

    @property
    def label(self) -> str:
        return self.uid or self.summary or f"event #{self.index}"


@dataclass
class _Occurrence:
    start: Value
    span: Span
    event: _Event  # master or override providing summary/status
    recurrence_id: str


class _Parser:
    def __init__(self, *, zone: tzinfo, horizon: date, budget: float = PARSE_BUDGET_SECONDS):
        self.zone = zone
        self.horizon = horizon
        self.warnings: list[str] = []
        self.started = clock.monotonic()
        self.clock = Clock(budget)

    def warn(self, message: str) -> None:
        if message not in self.warnings and len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(message)

    # -- top level

    def parse(self, content: bytes) -> ParseResult:
        if not content or not content.strip():
            raise NotACalendar("The feed is empty.")
        lines = _unfold(_decode(content, self.warn), self.warn, self.clock)
        _check_envelope(lines)
        calendars = _build_tree(lines, self.warn, self.clock)
        if not calendars:
            raise NotACalendar("The feed is not an iCalendar file (no VCALENDAR).")
        if len(calendars) > 1:
            self.warn(f"The file holds {len(calendars)} calendars: all were read.")

        vtimezones: dict[str, _Component] = {}
        for calendar in calendars:
            for child in calendar.children:
                if child.name == "VTIMEZONE" and child.text("TZID"):
                    vtimezones.setdefault(child.first("TZID").value.strip(), child)
        zones = _Zones(vtimezones, self.zone, self.warn)

        events: list[_Event] = []
        events_read = 0
        for calendar in calendars:
            floating = self._floating_zone(calendar, zones)
            for child in calendar.children:
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

    def _floating_zone(self, calendar: _Component, zones: _Zones) -> tzinfo:
        # Times without TZID or Z are read in the calendar's X-WR-TIMEZONE if it names
        # a real zone, else in the unit's zone.
        name = calendar.text("X-WR-TIMEZONE")
        return (zones.known(name) if name else None) or self.zone

    # -- one VEVENT

    def _value(self, prop: _Prop, zones: _Zones, floating: tzinfo) -> Value | None:
        tzid = prop.params.get("TZID")
        tz = zones.get(tzid) if tzid else floating
        raw = prop.value.split(",")[0]
        if "/" in raw:  # PERIOD used where a single value is expected
            raw = raw.split("/")[0]
        return _parse_value(raw, tz)

    def _values(self, prop: _Prop, zones: _Zones, floating: tzinfo, label: str) -> list[tuple[Value, Span | None]]:
        """RDATE/EXDATE: comma-separated values, possibly PERIODs (start/end|dur)."""
        tzid = prop.params.get("TZID")
        tz = zones.get(tzid) if tzid else floating
        out: list[tuple[Value, Span | None]] = []
        if not prop.value.strip():
            self.warn(f"Empty {prop.name} in {label}: ignored.")
            return out
        for raw in prop.value.split(","):
            start_raw, _, end_raw = raw.partition("/")
            start = _parse_value(start_raw, tz)
            if start is None:
                self.warn(f"Unreadable {prop.name} value {raw[:30]!r} in {label}: ignored.")
                continue
            span: Span | None = None
            if end_raw:
                if end_raw.strip().upper().lstrip("+-").startswith("P"):
                    span = _parse_duration(end_raw, self.warn)
                else:
                    end = _parse_value(end_raw, tz)
                    if isinstance(end, datetime) and isinstance(start, datetime):
                        span = end - start
                if isinstance(span, timedelta) and span < timedelta(0):
                    span = None
            out.append((start, span))
        return out

    def _read_event(self, index: int, comp: _Component, zones: _Zones, floating: tzinfo) -> _Event | None:
        try:
            return self._read_event_props(index, comp, zones, floating)
        except Exception:
            label = comp.text("UID") or comp.text("SUMMARY")[:60] or f"event #{index}"
            self.warn(f"{label}: event could not be read and was skipped.")
            return None

    def _read_event_props(self, index: int, comp: _Component, zones: _Zones, floating: tzinfo) -> _Event:
        uid = comp.text("UID")
        summary = re.sub(r"[\x00-\x1f\x7f]+", " ", comp.text("SUMMARY"))[:200].strip()
        label = uid or summary or f"event #{index}"
        start_prop = comp.first("DTSTART")
        start = self._value(start_prop, zones, floating) if start_prop else None
        if start_prop and start is None:
            self.warn(f"Unreadable DTSTART in {label}.")
        rid_prop = comp.first("RECURRENCE-ID")
        rid = self._value(rid_prop, zones, floating) if rid_prop else None
        try:
            sequence = int(comp.text("SEQUENCE") or 0)
        except ValueError:
            sequence = 0
        invalid = False
        span: Span | None = None
        if start is not None:
            try:
                span = self._span(comp, start, zones, floating, label)
            except _Invalid as exc:
                self.warn(f"{exc}: event skipped.")
                invalid = True
        rdates = [v for p in comp.all("RDATE") for v in self._values(p, zones, floating, label)]
        exdates = [v for p in comp.all("EXDATE") for v, _ in self._values(p, zones, floating, label)]
        return _Event(
            index=index,
            uid=uid,
            summary=summary,
            status=comp.text("STATUS").upper(),
            start=start,
            span=span,
            rrules=[p.value.strip() for p in comp.all("RRULE") if p.value.strip()],
            rdates=rdates,
            exdates=exdates,
            rid=rid,
            rid_future=bool(rid_prop and rid_prop.params.get("RANGE", "").upper() == "THISANDFUTURE"),
            sequence=sequence,
            invalid=invalid,
        )

    def _span(self, comp: _Component, start: Value, zones: _Zones, floating: tzinfo, label: str) -> Span | None:
        """Length of the event (None: no end given); _Invalid if it ends first."""
        end_prop, dur_prop = comp.first("DTEND"), comp.first("DURATION")
        end = self._value(end_prop, zones, floating) if end_prop else None
        duration = _parse_duration(dur_prop.value, self.warn) if dur_prop else None
        if end_prop and end is None:
            self.warn(f"Unreadable DTEND in {label}: ignored.")
        if dur_prop and duration is None and end is None:
            self.warn(f"Unreadable DURATION in {label}: ignored.")
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

        occurrences: list[_Occurrence] = []
        for key in list(masters) + [k for k in overrides if k not in masters]:
            self.clock.check()
            try:
                occurrences += self._series(masters.get(key, []), overrides.get(key, []))
            except TooComplex:
                raise
            except Exception:
                label = (masters.get(key) or overrides.get(key))[0].label
                self.warn(f"{label}: event could not be read and was skipped.")
            if len(occurrences) > MAX_OCCURRENCES:
                raise TooComplex(f"The calendar repeats its events more than {MAX_OCCURRENCES} times.")
        return occurrences

    def _series(self, masters: list[_Event], overrides: list[_Event]) -> list[_Occurrence]:
        # One override per RECURRENCE-ID: the highest SEQUENCE (then the last) wins.
        chosen: dict[tuple[object, bool], _Event] = {}
        for override in overrides:
            ident = (override.rid, override.rid_future)
            previous = chosen.get(ident)
            if previous is None or override.sequence >= previous.sequence:
                chosen[ident] = override
        pending = list(chosen.values())
        used: set[int] = set()
        out: list[_Occurrence] = []
        for master in masters:
            if master.start is None:
                self.warn(f"{master.label}: event without DTSTART skipped.")
                continue
            if master.status == "CANCELLED":
                used.update(id(o) for o in pending)
                continue
            out += self._expand_master(master, pending, used)
        for override in pending:
            if id(override) in used:
                continue
            if override.start is None:
                self.warn(f"{override.label}: event with only a RECURRENCE-ID skipped.")
                continue
            if override.span is None and override.all_day:
                span: Span = 1
            else:
                span = override.span if override.span is not None else timedelta(0)
            out.append(_Occurrence(override.start, span, override, ""))
        return out

    def _default_span(self, event: _Event) -> Span:
        if event.span is not None:
            return event.span
        return 1 if event.all_day else timedelta(0)

    def _expand_master(self, master: _Event, overrides: list[_Event], used: set[int]) -> list[_Occurrence]:
        assert master.start is not None
        all_day = master.all_day
        span = self._default_span(master)
        instances = self._instances(master)  # key -> (start, span override)

        def key_of(value: Value) -> object:
            if all_day:
                return _date_key(value, self.zone)
            if not isinstance(value, datetime):
                value = datetime.combine(value, master.start.timetz())
            return value.astimezone(UTC)

        exact: dict[object, _Event] = {}
        future: list[tuple[object, _Event]] = []
        for override in overrides:
            rid_key = key_of(override.rid)
            if override.rid_future:
                future.append((rid_key, override))
            if rid_key in instances or not override.rid_future:
                exact[rid_key] = override
        future.sort(key=lambda item: item[0])

        out: list[_Occurrence] = []
        for key in sorted(instances):
            value, own_span = instances[key]
            rid_label = key.isoformat() if self._recurs(master) else ""
            override = exact.get(key)
            if override is not None:
                used.add(id(override))
                start = override.start if override.start is not None else value
                ov_span = override.span if override.span is not None else span
                out.append(_Occurrence(start, ov_span, override, rid_label))
                continue
            shifted = [item for item in future if item[0] <= key]
            if shifted:
                rid_key, override = shifted[-1]
                used.add(id(override))
                start = self._shift(value, rid_key, override)
                ov_span = override.span if override.span is not None else span
                out.append(_Occurrence(start, ov_span, override, rid_label))
                continue
            own = own_span if own_span is not None else span
            out.append(_Occurrence(value, own, master, rid_label))
        return out

    @staticmethod
    def _recurs(event: _Event) -> bool:
        return bool(event.rrules or event.rdates)

    @staticmethod
    def _shift(value: Value, rid_key: object, override: _Event) -> Value:
        """RANGE=THISANDFUTURE: move a later instance like the override moved its own."""
        new = override.start
        if new is None:
            return value
        if isinstance(value, datetime) and isinstance(new, datetime):
            assert isinstance(rid_key, datetime)
            delta = new.astimezone(UTC) - rid_key
            return (value.astimezone(UTC) + delta).astimezone(value.tzinfo)
        if not isinstance(value, datetime) and not isinstance(new, datetime):
            assert isinstance(rid_key, date)
            return value + (new - rid_key)
        return value

    def _instances(self, master: _Event) -> dict[object, tuple[Value, Span | None]]:
        """Start of every instance (DTSTART, RRULE, RDATE minus EXDATE), by key."""
        assert master.start is not None
        start = master.start
        all_day = master.all_day
        starts: list[tuple[Value, Span | None]] = [(start, None)]
        for rule in master.rrules:
            starts += [(v, None) for v in self._expand_rule(rule, master)]
        for value, span in master.rdates:
            if all_day:
                starts.append((_date_key(value, self.zone), None))
            elif isinstance(value, datetime):
                starts.append((value, span))
            else:
                starts.append((datetime.combine(value, start.timetz()), span))

        ex_instants: set[datetime] = set()
        ex_dates: set[date] = set()
        for value in master.exdates:
            if all_day or not isinstance(value, datetime):
                ex_dates.add(_date_key(value, self.zone))
            else:
                ex_instants.add(value.astimezone(UTC))

        instances: dict[object, tuple[Value, Span | None]] = {}
        for value, span in starts:
            if all_day:
                if value in ex_dates:
                    continue
                instances.setdefault(value, (value, span))
            else:
                assert isinstance(value, datetime)
                instant = value.astimezone(UTC)
                if instant in ex_instants or value.date() in ex_dates:
                    continue
                instances.setdefault(instant, (value, span))
        return instances

    def _expand_rule(self, rule: str, master: _Event) -> list[Value]:
        assert master.start is not None
        all_day = master.all_day
        dtstart = _carrier(master.start) if all_day else master.start
        parts: dict[str, str] = {}
        for chunk in rule.upper().split(";"):
            name, _, val = chunk.partition("=")
            if name.strip() and val.strip():
                parts[name.strip()] = val.strip().replace("+", "")
        if parts.get("FREQ") in ("SECONDLY", "MINUTELY", "HOURLY"):
            # Sub-daily rules mean nothing for nights and can make dateutil spin.
            self.warn(f"{master.label}: {parts['FREQ']} recurrence ignored.")
            return []
        if clock.monotonic() - self.started > RULE_BUDGET_SECONDS:
            self.warn("Too many or too complex recurrence rules: some were ignored.")
            return []
        until = None
        if "UNTIL" in parts:
            until = self._until(parts.pop("UNTIL"), dtstart, all_day, master.label)
        allowed = {
            "FREQ", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY",
            "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST",
        }  # fmt: skip
        text = ";".join(f"{k}={v}" for k, v in parts.items() if k in allowed)
        try:
            recurrence = rrulestr(text, dtstart=dtstart)
            feasible = _can_match(text, dtstart)
        except Exception:
            self.warn(f"{master.label}: unreadable RRULE {rule[:60]!r} ignored.")
            return []
        if not feasible:
            self.warn(f"{master.label}: RRULE {rule[:60]!r} never matches; ignored.")
            return []
        # Rules without COUNT/UNTIL stop at the horizon; bounded ones run to their end
        # within sanity limits, keeping the latest instances (those that matter now).
        bounded = until is not None or "COUNT" in parts
        stop = self.horizon if not bounded else add_months(self.horizon, 120)
        values: deque[Value] = deque(maxlen=MAX_INSTANCES_PER_RULE)
        steps = 0
        for occurrence in recurrence:
            if not steps % 512:
                self.clock.check()
            if until is not None and occurrence > until:
                break
            day = occurrence.date() if all_day else occurrence.astimezone(self.zone).date()
            steps += 1
            if day >= stop or steps > MAX_RULE_STEPS:
                if bounded:
                    self.warn(f"{master.label}: recurrence cut at {day}.")
                break
            values.append(occurrence.date() if all_day else occurrence)
        if steps > MAX_INSTANCES_PER_RULE:
            self.warn(f"{master.label}: only the last {MAX_INSTANCES_PER_RULE} instances were kept.")
        return list(values)

    def _until(self, raw: str, dtstart: datetime, all_day: bool, label: str) -> datetime | None:
        # UNTIL may be a DATE, a UTC or a floating DATE-TIME whatever DTSTART is.
        # Compare instants: a DATE means midnight in the series' zone (UTC for
        # all-day series, whose instances are UTC midnights).
        value = _parse_value(raw, UTC if all_day else dtstart.tzinfo or UTC)
        if value is None:
            self.warn(f"{label}: unreadable RRULE UNTIL {raw[:20]!r} ignored.")
            return None
        if isinstance(value, datetime):
            return value
        if not all_day:
            self.warn(f"{label}: RRULE UNTIL is a date but DTSTART a date-time; UNTIL read as midnight.")
        return datetime.combine(value, time(0), tzinfo=dtstart.tzinfo)

    # -- blocks

    def _nights(self, start: Value, span: Span) -> tuple[date, date]:
        if not isinstance(start, datetime):
            nights = span if isinstance(span, int) else max(1, span.days)
            return start, start + timedelta(days=nights)
        length = span if isinstance(span, timedelta) else timedelta(days=span)
        first = start.astimezone(self.zone).date()
        last = (start + length).astimezone(self.zone).date()
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
                start, end = self._nights(occ.start, occ.span)
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


def _can_match(text: str, dtstart: datetime) -> bool:
    """False for rules that never produce a date (e.g. BYMONTH=2;BYMONTHDAY=30).

    dateutil only gives up on such rules at year 9999, after millions of steps; the
    same rule started in year 9600 (a leap year, one 400-year Gregorian cycle before
    the end) tells the same in at most one cycle.
    """
    probe = ";".join(p for p in text.split(";") if not p.startswith("COUNT="))
    start = dtstart.replace(year=9600, tzinfo=UTC)
    return next(iter(rrulestr(probe, dtstart=start)), None) is not None


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
    most seconds the whole parse may take: a slower file raises ``TooComplex`` (a
    ``NotACalendar``), as a file over any other cap does.
    """
    if horizon is None:
        horizon = add_months(today, 18)
    try:
        return _Parser(zone=zone, horizon=horizon, budget=budget).parse(content)
    except NotACalendar:
        raise
    except Exception as exc:
        # Last-resort guard: an unexpected failure must behave like a failed fetch
        # (keep the previous blocks), never like an empty calendar.
        raise NotACalendar("The calendar could not be read.") from exc
