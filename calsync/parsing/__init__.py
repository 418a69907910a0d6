"""Turn an iCalendar availability feed into blocked nights.

The rules are those of docs/calendar-sync.md#parsing: a block
``[start, end)`` means the nights ``start`` .. ``end - 1`` are taken and ``end`` (the
departure day) is free.

Feeds from booking platforms, channel managers and desktop calendars are often
malformed, so the file is read by our own tolerant content-line reader instead of a
strict library parser: only time-zone definitions (``dateutil.tz.tzical``) and
recurrence rules (``dateutil.rrule``) are delegated.  The package is pure (no Django)
and ``parse_feed`` never raises anything but :class:`NotACalendar`.
"""

from .events import parse_feed
from .model import NotACalendar, ParsedBlock, ParseResult, TooComplex, add_months

__all__ = ["NotACalendar", "ParsedBlock", "ParseResult", "TooComplex", "add_months", "parse_feed"]
