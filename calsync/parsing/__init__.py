"""Turn an iCalendar availability feed into blocked nights.

The rules are those of docs/calendar-sync.md#parsing: a block
``[start, end)`` means the nights ``start`` .. ``end - 1`` are taken and ``end`` (the
departure day) is free.

Feeds from booking platforms, channel managers and desktop calendars are often
malformed: a small tolerant pre-pass of ours (prepass.py) mends what would stop the
library and applies the caps, then ``icalendar`` reads the file and
``recurring-ical-events`` expands the recurrences (events.py); time zones as the
platforms write them (zones.py) and what blocks a night stay ours. The package is pure
(no Django) and ``parse_feed`` never raises anything but :class:`NotACalendar`.
"""

from .events import parse_feed
from .model import NotACalendar, ParsedBlock, ParseResult, TooComplex, add_months

__all__ = ["NotACalendar", "ParsedBlock", "ParseResult", "TooComplex", "add_months", "parse_feed"]
