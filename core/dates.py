"""Dates as people here live them: stored in UTC, counted in Europe/Paris."""
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def today_in_paris(now: datetime) -> date:
    return now.astimezone(PARIS).date()


def paris_midnight(day: date) -> datetime:
    """00:00 in Paris on `day`, as an aware datetime (convert to UTC to store it)."""
    return datetime.combine(day, time.min, tzinfo=PARIS)
