"""Dates as people here live them: stored in UTC, counted in Europe/Paris."""
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


# Months a page or a staff form may name: `date` stops at years 1 and 9999, so a month at either
# end (or a 20-digit year, OverflowError) would break the code that steps to its neighbour.
MONTH_YEARS = range(2000, 2200)


def parse_month(value: str) -> date:
    """"2026-11" → 1 November 2026. ValueError for anything else, out-of-range years included."""
    try:
        year, month = (int(part) for part in value.split("-"))
        if year in MONTH_YEARS:
            return date(year, month, 1)
    except (ValueError, OverflowError):
        pass
    raise ValueError(f"AAAA-MM attendu, pas {value[:20]!r}")


def today_in_paris(now: datetime) -> date:
    return now.astimezone(PARIS).date()


def paris_midnight(day: date) -> datetime:
    """00:00 in Paris on `day`, as an aware datetime (convert to UTC to store it)."""
    return datetime.combine(day, time.min, tzinfo=PARIS)


def long_date(value, format_string: str = "j F Y") -> str:
    """Django's date format in the active language, with French's ordinal for the first of
    the month ("1er décembre 2026", never "1 décembre"). Pages use it as `|long_date`."""
    from django.utils import formats
    from django.utils.dateformat import format as date_format
    from django.utils.translation import get_language

    format_string = str(formats.get_format(format_string))  # "DATE_FORMAT" → "j F Y"; a pattern stays
    if (get_language() or "").startswith("fr") and getattr(value, "day", None) == 1:
        format_string = format_string.replace("j F", r"j\e\r F")
    return date_format(value, format_string)
