"""Business days in France: staff promise to validate offers within MODERATION_DELAY_BUSINESS_DAYS.
Weekends and French public holidays do not count."""
from datetime import date, datetime, timedelta
from functools import cache

import holidays

from core.dates import PARIS


@cache
def _french_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.France(years=year).keys())


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _french_holidays(day.year)


def business_days_between(start: date, end: date) -> int:
    """Business days after `start` up to and including `end`: submitted on a Friday, it is
    0 on that Friday and 1 on Monday (or 0 on Easter Monday)."""
    days, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_business_day(day):
            days += 1
    return days


def business_age(since: datetime | None, *, now: datetime) -> int | None:
    """How many business days a waiting item has waited, counted on Paris calendar days."""
    if since is None:
        return None
    return business_days_between(since.astimezone(PARIS).date(), now.astimezone(PARIS).date())
