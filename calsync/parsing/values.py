"""DATE, DATE-TIME and DURATION values."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from .model import MAX_DURATION_DAYS, Value, Warn
from .zones import _is_utc

# ----------------------------------------------------------------------------- values

_DATE_RE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DATETIME_RE = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?(?:[.,]\d+)?(Z)?")


def _parse_value(raw: str, tz: tzinfo) -> Value | None:
    """One DATE or DATE-TIME; ``tz`` applies unless the value ends in Z."""
    text = raw.strip().upper().replace("-", "").replace(":", "")
    try:
        if match := _DATE_RE.fullmatch(text):
            return date(*(int(g) for g in match.groups()))
        if match := _DATETIME_RE.fullmatch(text):
            y, mo, d, h, mi = (int(g) for g in match.groups()[:5])
            sec = int(match.group(6) or 0)
            extra = timedelta(0)
            if h == 24:  # "T240000" = midnight of the next day
                h, extra = 0, timedelta(days=1)
            value = datetime(y, mo, d, h, mi, min(sec, 59), tzinfo=tz)
            if match.group(7):
                value = value.replace(tzinfo=UTC)
            return value + extra
    except (ValueError, OverflowError):
        return None
    return None


_DURATION_RE = re.compile(r"([+-])?P((?:\d+[WD])*)(?:T((?:\d+[WDHMS])*))?")


def _parse_duration(raw: str, warn: Warn) -> timedelta | None:
    text = raw.strip().upper()
    match = _DURATION_RE.fullmatch(text)
    if not match or text in ("P", "+P", "-P", "PT"):
        return None
    units = {"W": 7 * 86400, "D": 86400, "H": 3600, "M": 60, "S": 1}
    seconds = 0
    for number, unit in re.findall(r"(\d+)([WD])", match.group(2)):
        seconds += int(number) * units[unit]
    for number, unit in re.findall(r"(\d+)([WDHMS])", match.group(3) or ""):
        if unit in "WD":
            warn(f"Invalid DURATION {text[:20]} (weeks/days after 'T') read leniently.")
        seconds += int(number) * units[unit]
    if seconds > MAX_DURATION_DAYS * 86400:
        return None
    return timedelta(seconds=-seconds if match.group(1) == "-" else seconds)


def _date_key(value: Value, zone: tzinfo) -> date:
    """The calendar date of a value used against an all-day series."""
    if not isinstance(value, datetime):
        return value
    # A UTC value stands for an instant: take its date in the unit's zone. A value
    # with a TZID (Exchange writes RECURRENCE-ID as local midnight) keeps its date.
    return value.astimezone(zone).date() if _is_utc(value.tzinfo) else value.date()


def _carrier(day: date) -> datetime:
    """All-day dates are expanded as UTC midnights (no naive datetimes)."""
    return datetime.combine(day, time(0), tzinfo=UTC)
