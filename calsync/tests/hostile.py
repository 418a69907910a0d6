"""Hostile calendars an owner could put behind a feed URL (docs/calendar-sync.md#limits).
Each is generated, so the tests and the timings in the docs use the same files."""
from __future__ import annotations

HEAD = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hostile//EN\r\n"
TAIL = b"END:VCALENDAR\r\n"
STAY = (b"BEGIN:VEVENT\r\nUID:stay@hostile\r\nDTSTART;VALUE=DATE:20270110\r\n"
        b"DTEND;VALUE=DATE:20270112\r\nSUMMARY:Reserved\r\nEND:VEVENT\r\n")


def deep_nesting(depth: int = 100_000) -> bytes:
    """Components nested `depth` deep (about 1.9 MB for 100,000)."""
    return HEAD + b"BEGIN:X-A\r\n" * depth + b"END:X-A\r\n" * depth + STAY + TAIL


def many_zone_rules(rules: int = 1_000) -> bytes:
    """A VTIMEZONE with `rules` DAYLIGHT/STANDARD rules, used by one timed event (~143 KB for 1,000)."""
    parts = [HEAD, b"BEGIN:VTIMEZONE\r\nTZID:Custom/Hostile\r\n"]
    for n in range(rules):
        kind = b"DAYLIGHT" if n % 2 else b"STANDARD"
        year = 1700 + n // 2
        parts.append(b"BEGIN:%s\r\nDTSTART:%d0325T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"
                     b"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:%s\r\n" % (kind, year, kind))
    parts.append(b"END:VTIMEZONE\r\n")
    parts.append(b"BEGIN:VEVENT\r\nUID:timed@hostile\r\nDTSTART;TZID=Custom/Hostile:20270110T150000\r\n"
                 b"DTEND;TZID=Custom/Hostile:20270112T110000\r\nSUMMARY:Reserved\r\nEND:VEVENT\r\n")
    return b"".join(parts) + TAIL


def folded_line(size: int = 5 * 1024 * 1024) -> bytes:
    """One DESCRIPTION of `size` bytes folded at 75 octets, beside a real stay."""
    body = b"x" * size
    folded = b"\r\n ".join(body[i:i + 74] for i in range(0, len(body), 74))
    event = (b"BEGIN:VEVENT\r\nUID:long@hostile\r\nDTSTART;VALUE=DATE:20270120\r\n"
             b"DTEND;VALUE=DATE:20270121\r\nDESCRIPTION:" + folded + b"\r\nEND:VEVENT\r\n")
    return HEAD + event + STAY + TAIL


def many_recurrences(events: int = 2_000) -> bytes:
    """Events that each repeat daily without end: millions of instances if nothing stops them."""
    parts = [HEAD]
    for n in range(events):
        parts.append(b"BEGIN:VEVENT\r\nUID:r%d@hostile\r\nDTSTART;VALUE=DATE:20261201\r\n"
                     b"RRULE:FREQ=DAILY\r\nEND:VEVENT\r\n" % n)
    return b"".join(parts) + TAIL


def many_events(events: int = 40_000) -> bytes:
    """Plain stays, one after another: nothing to cap, only slow to read (about 4 MB)."""
    parts = [HEAD]
    for n in range(events):
        parts.append(b"BEGIN:VEVENT\r\nUID:e%d@hostile\r\nDTSTART;VALUE=DATE:20270110\r\n"
                     b"DTEND;VALUE=DATE:20270112\r\nSUMMARY:Reserved\r\nEND:VEVENT\r\n" % n)
    return b"".join(parts) + TAIL
