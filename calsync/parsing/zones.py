"""Time zones: IANA names, Windows names, and the VTIMEZONEs a feed embeds."""

from __future__ import annotations

import re
import zoneinfo
from datetime import UTC, timedelta, timezone, tzinfo
from io import StringIO
from zoneinfo import ZoneInfo

from dateutil.tz import tzical

from .model import MAX_ZONE_RULES, Warn
from .prepass import Zone

# ------------------------------------------------------------------------- time zones

# Windows display names ("(UTC+01:00) Brussels, Copenhagen, Madrid, Paris") without
# their offset prefix. Standard names ("Romance Standard Time") come from icalendar.
_WINDOWS_DISPLAY = {
    "abu dhabi, muscat": "Asia/Dubai",
    "adelaide": "Australia/Adelaide",
    "alaska": "America/Anchorage",
    "amman": "Asia/Amman",
    "amsterdam, berlin, bern, rome, stockholm, vienna": "Europe/Berlin",
    "arizona": "America/Phoenix",
    "astana": "Asia/Almaty",
    "athens, bucharest": "Europe/Bucharest",
    "athens, bucharest, istanbul": "Europe/Bucharest",
    "atlantic time (canada)": "America/Halifax",
    "auckland, wellington": "Pacific/Auckland",
    "azores": "Atlantic/Azores",
    "baghdad": "Asia/Baghdad",
    "baku": "Asia/Baku",
    "bangkok, hanoi, jakarta": "Asia/Bangkok",
    "beijing, chongqing, hong kong, urumqi": "Asia/Shanghai",
    "beirut": "Asia/Beirut",
    "belgrade, bratislava, budapest, ljubljana, prague": "Europe/Budapest",
    "bogota, lima, quito": "America/Bogota",
    "bogota, lima, quito, rio branco": "America/Bogota",
    "brasilia": "America/Sao_Paulo",
    "brisbane": "Australia/Brisbane",
    "brussels, copenhagen, madrid, paris": "Europe/Paris",
    "buenos aires": "America/Argentina/Buenos_Aires",
    "city of buenos aires": "America/Argentina/Buenos_Aires",
    "cabo verde is.": "Atlantic/Cape_Verde",
    "cape verde is.": "Atlantic/Cape_Verde",
    "cairo": "Africa/Cairo",
    "canberra, melbourne, sydney": "Australia/Sydney",
    "caracas": "America/Caracas",
    "casablanca": "Africa/Casablanca",
    "casablanca, monrovia": "Africa/Casablanca",
    "cayenne, fortaleza": "America/Cayenne",
    "central america": "America/Guatemala",
    "central time (us & canada)": "America/Chicago",
    "chennai, kolkata, mumbai, new delhi": "Asia/Kolkata",
    "chihuahua, la paz, mazatlan": "America/Chihuahua",
    "coordinated universal time": "UTC",
    "darwin": "Australia/Darwin",
    "dhaka": "Asia/Dhaka",
    "dublin, edinburgh, lisbon, london": "Europe/London",
    "greenwich mean time : dublin, edinburgh, lisbon, london": "Europe/London",
    "eastern time (us & canada)": "America/New_York",
    "ekaterinburg": "Asia/Yekaterinburg",
    "fiji": "Pacific/Fiji",
    "georgetown, la paz, manaus, san juan": "America/La_Paz",
    "greenland": "America/Nuuk",
    "guadalajara, mexico city, monterrey": "America/Mexico_City",
    "guam, port moresby": "Pacific/Port_Moresby",
    "harare, pretoria": "Africa/Johannesburg",
    "hawaii": "Pacific/Honolulu",
    "helsinki, kyiv, riga, sofia, tallinn, vilnius": "Europe/Helsinki",
    "helsinki, kiev, riga, sofia, tallinn, vilnius": "Europe/Helsinki",
    "hobart": "Australia/Hobart",
    "indiana (east)": "America/Indiana/Indianapolis",
    "international date line west": "Etc/GMT+12",
    "islamabad, karachi": "Asia/Karachi",
    "istanbul": "Europe/Istanbul",
    "jerusalem": "Asia/Jerusalem",
    "kabul": "Asia/Kabul",
    "kathmandu": "Asia/Kathmandu",
    "kuala lumpur, singapore": "Asia/Singapore",
    "kuwait, riyadh": "Asia/Riyadh",
    "monrovia, reykjavik": "Atlantic/Reykjavik",
    "montevideo": "America/Montevideo",
    "moscow, st. petersburg": "Europe/Moscow",
    "moscow, st. petersburg, volgograd": "Europe/Moscow",
    "mountain time (us & canada)": "America/Denver",
    "nairobi": "Africa/Nairobi",
    "newfoundland": "America/St_Johns",
    "nuku'alofa": "Pacific/Tongatapu",
    "osaka, sapporo, tokyo": "Asia/Tokyo",
    "pacific time (us & canada)": "America/Los_Angeles",
    "pacific time (us & canada); tijuana": "America/Los_Angeles",
    "perth": "Australia/Perth",
    "samoa": "Pacific/Apia",
    "santiago": "America/Santiago",
    "sarajevo, skopje, warsaw, zagreb": "Europe/Warsaw",
    "saskatchewan": "America/Regina",
    "seoul": "Asia/Seoul",
    "sri jayawardenepura": "Asia/Colombo",
    "taipei": "Asia/Taipei",
    "tashkent": "Asia/Tashkent",
    "tehran": "Asia/Tehran",
    "vladivostok": "Asia/Vladivostok",
    "west central africa": "Africa/Lagos",
    "windhoek": "Africa/Windhoek",
    "yangon (rangoon)": "Asia/Yangon",
}

_DISPLAY_RE = re.compile(r"^\(?(?:UTC|GMT)\s*(?:([+-])(\d{1,2})(?::?(\d{2}))?)?\)?\s*(.*)$", re.IGNORECASE)
_IANA_RE = re.compile(r"^[A-Za-z0-9_+-]+(?:/[A-Za-z0-9_+-]+){0,2}$")
_UTC_NAMES = frozenset({"UTC", "ETC/UTC", "GMT", "ETC/GMT", "Z", "ZULU", "UCT"})


def _windows_names() -> dict[str, str]:
    # Imported on first use: icalendar costs ~100 ms to import and only this table is needed.
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    return {k.lower(): v for k, v in WINDOWS_TO_OLSON.items()}


_ZONE_NAMES: dict[str, str] = {}


def _zoneinfo(name: str) -> tzinfo | None:
    if name.upper() in _UTC_NAMES:
        return UTC
    if not _IANA_RE.match(name) or ".." in name:
        return None
    if not _ZONE_NAMES:  # case-insensitive lookup ("europe/paris" is seen in feeds)
        _ZONE_NAMES.update({key.lower(): key for key in zoneinfo.available_timezones()})
    key = _ZONE_NAMES.get(name.lower())
    if key is None:
        return None
    try:
        return ZoneInfo(key)
    except Exception:  # ZoneInfoNotFoundError, ValueError, OSError, ...
        return None


def _is_utc(tz: tzinfo | None) -> bool:
    return tz is UTC or str(tz).upper() in _UTC_NAMES


class _Zones:
    """Resolve TZID parameters: IANA name > Windows name > embedded VTIMEZONE."""

    def __init__(self, vtimezones: dict[str, Zone], zone: tzinfo, warn: Warn):
        self._vtimezones = vtimezones
        self._zone = zone
        self._warn = warn
        self._cache: dict[str, tzinfo] = {}
        self._windows = _windows_names()

    def get(self, tzid: str) -> tzinfo:
        tzid = tzid.strip().strip('"').strip()
        if tzid not in self._cache:
            self._cache[tzid] = self._resolve(tzid)
        return self._cache[tzid]

    def known(self, tzid: str) -> tzinfo | None:
        """IANA or Windows name only (used for X-WR-TIMEZONE)."""
        return self._by_name(tzid.strip())

    def _by_name(self, tzid: str) -> tzinfo | None:
        # IANA wins, even over an embedded VTIMEZONE with a wrong rule.
        found = _zoneinfo(tzid)
        if found is None and "/" in tzid:
            # "/mozilla.org/20050126_1/Europe/Berlin" and similar vendor prefixes
            parts = [p for p in tzid.split("/") if p]
            for size in (3, 2):
                if len(parts) > size and (found := _zoneinfo("/".join(parts[-size:]))):
                    break
        if found is None and tzid.lower() in self._windows:
            found = _zoneinfo(self._windows[tzid.lower()])
        if found is None:
            match = _DISPLAY_RE.match(tzid)
            if match and match.group(4).strip().lower() in _WINDOWS_DISPLAY:
                found = _zoneinfo(_WINDOWS_DISPLAY[match.group(4).strip().lower()])
        return found

    def _resolve(self, tzid: str) -> tzinfo:
        found = self._by_name(tzid)
        if found is not None:
            return found
        zone = self._vtimezones.get(tzid)
        if zone is not None:
            if zone.rules > MAX_ZONE_RULES:
                # dateutil walks every rule for every conversion: 1,000 rules took over 60 s.
                self._warn(f"Time zone {tzid[:60]!r} has too many rules: read as a fixed UTC offset.")
            found = _vtimezone_to_tz(zone, rules=zone.rules <= MAX_ZONE_RULES)
            if found is not None:
                return found
        match = _DISPLAY_RE.match(tzid)
        if match and (match.group(1) or tzid.upper().startswith(("(UTC)", "(GMT)"))):
            sign = -1 if match.group(1) == "-" else 1
            offset = timedelta(hours=int(match.group(2) or 0), minutes=int(match.group(3) or 0))
            if offset < timedelta(hours=15):
                self._warn(f"Time zone {tzid[:60]!r} read as a fixed UTC offset.")
                return timezone(sign * offset)
        self._warn(f"Unknown time zone {tzid[:60]!r}: its times were read in the unit's zone.")
        return self._zone


def _vtimezone_to_tz(zone: Zone, *, rules: bool = True) -> tzinfo | None:
    """Custom TZID: build the zone from its VTIMEZONE (dateutil), else a fixed offset."""
    lines: list[str] = []
    offsets: list[tuple[bool, str]] = []  # (is STANDARD, TZOFFSETTO) of each rule
    depth, kind = 0, ""
    for line in zone.lines:
        name, _, value = line.partition(":")
        name, *params = name.split(";")
        name = name.upper()
        if name == "BEGIN":
            depth += 1
            kind = value.strip().upper() if depth == 2 else kind
        elif name == "END":
            depth -= 1
        elif name == "TZOFFSETTO" and depth == 2:
            offsets.append((kind == "STANDARD", value))
        if name.startswith("X-") or not value.strip():
            continue
        kept = "".join(f";{p}" for p in params if not p.upper().startswith("X-"))
        lines.append(f"{name}{kept}:{value.strip()}")
    if rules:
        try:
            return tzical(StringIO("\r\n".join(lines) + "\r\n")).get()
        except Exception:
            pass
    for _, text in sorted(offsets, key=lambda item: not item[0]):
        offset = _parse_offset(text)
        if offset is not None:
            return timezone(offset)
    return None
def _parse_offset(text: str) -> timedelta | None:
    match = re.fullmatch(r"([+-])(\d{2})(\d{2})(\d{2})?", text.strip())
    if not match:
        return None
    sign = -1 if match.group(1) == "-" else 1
    offset = timedelta(
        hours=int(match.group(2)),
        minutes=int(match.group(3)),
        seconds=int(match.group(4) or 0),
    )
    return sign * offset if offset < timedelta(hours=24) else None
