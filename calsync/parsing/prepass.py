"""The tolerant pre-pass: what real feeds get wrong that would stop `icalendar`, and the caps
that keep a hostile file short, before the library sees a byte.

It decodes the bytes, unfolds the lines, and writes the file again one clean content line at
a time: stray lines, doubled separators, empty EXDATE/RDATE, `PT1W`-style durations and dates
written with dashes are mended or dropped (with a warning); components are balanced; nesting,
component count and line length are capped. VTIMEZONEs are taken out and handed to
`zones.py` with their rules capped: icalendar would build every zone it meets (1,000 rules
cost it 9-15 s) and keep it in a process-wide cache, where one owner's feed could redefine a
custom TZID for every other feed.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from .model import (
    MAX_COMPONENTS,
    MAX_DURATION_DAYS,
    MAX_LINE_LENGTH,
    MAX_NESTING,
    MAX_ZONE_RULES,
    Clock,
    NotACalendar,
    TooComplex,
    Warn,
)


@dataclass
class Zone:
    """One VTIMEZONE as written (its first MAX_ZONE_RULES rules) and how many rules it had."""

    tzid: str = ""
    lines: list[str] = field(default_factory=list)
    rules: int = 0


@dataclass
class Prepared:
    text: str  # clean iCalendar for icalendar: one unfolded content line per line
    calendars: int
    zones: dict[str, Zone]  # by TZID


# --------------------------------------------------------------------------- decoding


def _legacy_bytes(error: UnicodeError) -> tuple[str, int]:
    # Invalid UTF-8 byte runs are read as Windows-1252/Latin-1 so that one stray
    # ISO-8859-1 accent does not garble the valid UTF-8 around it.
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    chars = []
    for byte in bad:
        try:
            chars.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            chars.append(bytes([byte]).decode("latin-1"))
    return "".join(chars), error.end


codecs.register_error("calsync-legacy", _legacy_bytes)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _decode(content: bytes, warn: Warn) -> str:
    body = content
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            body = content[len(bom) :]
            if encoding != "utf-8":
                return body.decode(encoding, errors="replace").replace("\x00", "")
            break
    else:  # UTF-16 without BOM: "B\0E\0..." or "\0B\0E..."
        if body[:2] == b"B\x00":
            return body.decode("utf-16-le", errors="replace").replace("\x00", "")
        if body[:2] == b"\x00B":
            return body.decode("utf-16-be", errors="replace").replace("\x00", "")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        warn("Some text in the feed is not valid UTF-8; it was read as Latin-1.")
        text = body.decode("utf-8", errors="calsync-legacy")
    return text.lstrip("\ufeff").replace("\x00", "")


# ---------------------------------------------------------------------- content lines


def _unfold(text: str, warn: Warn, clock: Clock) -> list[str]:
    """Split on CRLF/LF/CR, drop blank lines, join space- or TAB-folded lines.

    Linear: the pieces of a folded line are joined once, and a line longer than
    MAX_LINE_LENGTH is skipped with a warning (no property we read is that long)."""
    lines: list[str] = []
    pieces: list[str] = []
    size = 0
    after_blank = False

    def flush() -> None:
        if not pieces:
            return
        if size > MAX_LINE_LENGTH:
            warn(f"A line longer than {MAX_LINE_LENGTH // 1024} KB was ignored: {pieces[0][:40]!r}.")
        else:
            lines.append("".join(pieces))

    for count, raw in enumerate(re.split(r"\r\n|\r|\n", text)):
        if not count % 4096:
            clock.check()
        if not raw.strip():
            after_blank = True  # blank lines are skipped, even inside a folded property
            continue
        if raw[0] in " \t":
            if after_blank and pieces:
                warn("Blank lines inside folded properties were ignored.")
            if pieces and size <= MAX_LINE_LENGTH:
                pieces.append(raw[1:])
                size += len(raw) - 1
        else:
            flush()
            pieces, size = [raw], len(raw)
        after_blank = False
    flush()
    return lines


_NAME_RE = re.compile(r"[A-Za-z0-9-]+")


def _split(line: str, warn: Warn) -> tuple[str, list[tuple[str, str]], str] | None:
    """``NAME;P=V;Q="a:b":value`` -> (NAME, [(P, V), (Q, a:b)], value); None for a stray line.
    Quoted parameter values may hold ':' and ';'; empty parameters (``;;``) are dropped."""
    match = _NAME_RE.match(line)
    if not match:
        return None
    name, pos, params = match.group().upper(), match.end(), []
    if line.startswith(":", pos):  # no parameters: most lines
        return name, params, line[pos + 1 :]
    while pos < len(line) and line[pos] == ";":
        pos += 1
        start, quoted = pos, False
        while pos < len(line):
            char = line[pos]
            if char == '"':
                quoted = not quoted
            elif not quoted and char in ";:":
                break
            pos += 1
        raw = line[start:pos]
        if not raw.strip():
            warn(f"Empty parameter in property {name}: ignored.")
            continue
        key, _, val = raw.partition("=")
        params.append((key.strip().upper(), val.strip().strip('"')))
    if pos >= len(line) or line[pos] != ":":
        return None
    return name, params, line[pos + 1 :]


_PARAMETERS = frozenset({"TZID", "RANGE"})  # the only ones the reader reads, with VALUE=PERIOD


def _join(name: str, params: list[tuple[str, str]], value: str) -> str:
    """The line again, with only the parameters we read (an unknown one icalendar cannot
    parse, a control character in its name say, would cost the line)."""
    written = ""
    for key, val in params:
        val = re.sub(r'[\x00-\x1f\x7f"]', "", val)
        if val and (key in _PARAMETERS or key == "VALUE" and val == "PERIOD"):
            written += f';{key}="{val}"' if re.search(r"[;:,]", val) else f";{key}={val}"
    return f"{name}{written}:{value}"


# ----------------------------------------------------------------------------- values

_DATE_RE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DATETIME_RE = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?(?:[.,]\d+)?(Z)?")
_DURATION_RE = re.compile(r"([+-])?P((?:\d+[WD])*)(?:T((?:\d+[WDHMS])*))?")
_DATE_PROPERTIES = frozenset({"DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE"})


def _date_value(raw: str) -> str | None:
    """One DATE or DATE-TIME as icalendar reads it: dashes and colons dropped, seconds and
    fractions mended, T240000 made the next midnight. None: unreadable."""
    text = raw.strip().upper().replace("-", "").replace(":", "")
    if _DATE_RE.fullmatch(text):
        return text
    match = _DATETIME_RE.fullmatch(text)
    if not match:
        return None
    y, mo, d, h, mi = (int(g) for g in match.groups()[:5])
    sec = min(int(match.group(6) or 0), 59)
    try:
        day = date(y, mo, d)
        if h == 24 and mi == 0:
            day, h = day + timedelta(days=1), 0
        if h > 23 or mi > 59:
            return None
    except (ValueError, OverflowError):
        return None
    return f"{day:%Y%m%d}T{h:02d}{mi:02d}{sec:02d}" + (match.group(7) or "")


def _duration_value(raw: str, warn: Warn) -> str | None:
    """A DURATION as icalendar reads it (``P1DT2H``), from lenient forms like ``PT1W``."""
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
    days, rest = divmod(seconds, 86400)
    return f"{'-' if match.group(1) == '-' else ''}P{days}DT{rest}S"


def _mend(name: str, params: list[tuple[str, str]], value: str, warn: Warn) -> str | None:
    """The property's line(s) for icalendar, or None to drop it."""
    if name in _DATE_PROPERTIES:
        # The form of the value says DATE, DATE-TIME or PERIOD; a wrong VALUE= would break it.
        params = [(k, v) for k, v in params if k != "VALUE"]
        if not value.strip():
            if name in ("EXDATE", "RDATE"):
                warn(f"Empty {name} ignored.")
            return None
        items = value.split(",")
        if name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
            items = [items[0].split("/")[0]]  # a PERIOD or a list where one value is expected
        mended = []
        for item in items:
            start, slash, end = item.partition("/")
            first = _date_value(start)
            if slash and first:
                second = (_duration_value(end, warn) if end.strip().upper().lstrip("+-").startswith("P")
                          else _date_value(end))
                mended.append(f"{first}/{second}" if second else first)
            elif first:
                mended.append(first)
            elif name in ("EXDATE", "RDATE"):
                warn(f"Unreadable {name} value {item[:30]!r}: ignored.")
            else:
                return _join(name, params, value)  # icalendar reports it; the reader says so
        if not mended:
            return None
        # One line per value: a PERIOD needs VALUE=PERIOD, which a plain value beside it breaks.
        return "\r\n".join(_join(name, params + [("VALUE", "PERIOD")] * ("/" in item), item) for item in mended)
    if name == "DURATION":
        return _join(name, params, _duration_value(value, warn) or value)
    if name == "RRULE":
        parts = [p.strip() for p in value.upper().replace("+", "").split(";")]
        kept = []
        for part in parts:
            key, _, val = part.partition("=")
            if key == "UNTIL" and val and not _date_value(val):
                warn(f"Unreadable RRULE UNTIL {val[:20]!r} ignored.")
            elif val:
                kept.append(f"{key}={_date_value(val) if key == 'UNTIL' else val}")
        return _join(name, params, ";".join(kept))
    return _join(name, params, value)


# ------------------------------------------------------------------------- structure


def _check_envelope(lines: list[str]) -> None:
    if not lines:
        raise NotACalendar("The feed is empty.")
    first = lines[0].strip().upper()
    if first != "BEGIN:VCALENDAR":
        if first.startswith("<"):
            raise NotACalendar("The feed is a web page (HTML), not a calendar.")
        raise NotACalendar("The feed is not an iCalendar file (no BEGIN:VCALENDAR).")
    if lines[-1].strip().upper() != "END:VCALENDAR":
        raise NotACalendar(
            "The calendar is incomplete (it does not end with END:VCALENDAR): probably a truncated download."
        )


# What the reader reads, and all icalendar is given: a property it cannot read elsewhere
# (in a VCALENDAR, a VALARM, an X- component) would make it refuse the whole file.
_READ = {
    "VCALENDAR": frozenset({"X-WR-TIMEZONE"}),
    "VEVENT": frozenset({"UID", "SUMMARY", "STATUS", "SEQUENCE", "DTSTART", "DTEND", "DURATION", "RRULE",
                         "RDATE", "EXDATE", "RECURRENCE-ID"}),
}


def prepare(content: bytes, warn: Warn, clock: Clock) -> Prepared:
    """The file as clean iCalendar text, or NotACalendar / TooComplex for the whole file.

    Only VCALENDARs and their VEVENTs are written, with the properties the reader reads.
    Linear with caps: the names open on the stack are counted (looking through the stack at
    each END was quadratic on deep nesting); at most MAX_NESTING components may be open and
    MAX_COMPONENTS exist, else the file is refused."""
    if not content or not content.strip():
        raise NotACalendar("The feed is empty.")
    lines = _unfold(_decode(content, warn), warn, clock)
    _check_envelope(lines)
    out: list[str] = []
    zones: dict[str, Zone] = {}
    stack: list[str] = []
    open_count: dict[str, int] = {}
    zone: Zone | None = None  # the VTIMEZONE being read
    components = calendars = 0
    for count, line in enumerate(lines):
        if not count % 4096:
            clock.check()
        parsed = _split(line, warn)
        if parsed is None:
            warn(f"Content line without a colon ignored: {line[:40]!r}.")
            continue
        name, params, value = parsed
        top = stack[0] if stack else ""
        if name == "BEGIN":
            component = value.strip().upper()
            components += 1
            if len(stack) >= MAX_NESTING:
                raise TooComplex(f"The calendar nests components more than {MAX_NESTING} deep.")
            if components > MAX_COMPONENTS:
                raise TooComplex(f"The calendar has more than {MAX_COMPONENTS} components.")
            stack.append(component)
            open_count[component] = open_count.get(component, 0) + 1
            if len(stack) == 1 and component == "VCALENDAR":
                calendars += 1
                out.append("BEGIN:VCALENDAR")
            elif len(stack) == 2 and top == "VCALENDAR" and component == "VEVENT":
                out.append("BEGIN:VEVENT")
            elif len(stack) == 2 and top == "VCALENDAR" and component == "VTIMEZONE":
                zone = Zone(lines=["BEGIN:VTIMEZONE"])
            elif zone is not None:
                zone.rules += len(stack) == 3
                if zone.rules <= MAX_ZONE_RULES:
                    zone.lines.append(f"BEGIN:{component}")
        elif name == "END":
            component = value.strip().upper()
            if not open_count.get(component):
                warn(f"END:{component[:20]} without a matching BEGIN ignored.")
                continue
            while stack:
                depth, closed = len(stack), stack.pop()
                open_count[closed] -= 1
                if closed != component:
                    warn(f"{closed[:20]} closed implicitly by END:{component[:20]}.")
                if depth == 1 and closed == "VCALENDAR" or depth == 2 and top == "VCALENDAR" and closed == "VEVENT":
                    out.append(f"END:{closed}")
                elif zone is not None and (depth == 2 or zone.rules <= MAX_ZONE_RULES):
                    zone.lines.append(f"END:{closed}")
                    if depth == 2:
                        if zone.tzid:
                            zones.setdefault(zone.tzid, zone)
                        zone = None
                if closed == component:
                    break
        elif zone is not None:
            if len(stack) == 2 and name == "TZID":
                zone.tzid = value.strip()
            if zone.rules <= MAX_ZONE_RULES:
                zone.lines.append(line)
        elif len(stack) <= 2 and top == "VCALENDAR" and name in _READ.get(stack[-1], ()):
            mended = _mend(name, params, value, warn)
            if mended is not None:
                out.append(mended)
    if stack:
        raise NotACalendar("The calendar is incomplete (a VCALENDAR is not closed).")
    if not calendars:
        raise NotACalendar("The feed is not an iCalendar file (no VCALENDAR).")
    return Prepared(text="\r\n".join(out) + "\r\n", calendars=calendars, zones=zones)
