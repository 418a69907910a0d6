"""Beat schedules in Paris time while Celery counts in UTC (CELERY_TIMEZONE = "UTC" in
settings/base.py, so interval jobs never jump at the daylight-saving changes)."""
from zoneinfo import ZoneInfo

from celery.schedules import crontab


class ParisCrontab(crontab):
    """A crontab read on Paris clocks: `ParisCrontab(minute=0, hour=6, day_of_month=1)` is
    06:00 in Paris on the 1st, 04:00 or 05:00 UTC depending on the season (celery's
    crontab.remaining_delta converts both times into `self.tz`)."""

    @property
    def tz(self):
        return ZoneInfo("Europe/Paris")
