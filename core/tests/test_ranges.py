from datetime import UTC, date

from core.dates import paris_midnight, today_in_paris
from core.ranges import merge_ranges


def d(text: str) -> date:
    return date.fromisoformat(text)


def test_touching_and_overlapping_ranges_join_and_empty_ones_vanish():
    ranges = [(d("2027-01-05"), d("2027-01-07")), (d("2027-01-01"), d("2027-01-03")),
              (d("2027-01-03"), d("2027-01-04")), (d("2027-01-06"), d("2027-01-09")), (d("2027-02-01"), d("2027-02-01"))]
    assert merge_ranges(ranges) == [(d("2027-01-01"), d("2027-01-04")), (d("2027-01-05"), d("2027-01-09"))]


def test_the_day_in_paris_is_not_the_day_in_utc_just_before_midnight():
    late_evening_utc = paris_midnight(d("2027-07-01")).replace(hour=0, minute=30)  # 00:30 Paris = 22:30 UTC the day before
    assert late_evening_utc.astimezone(UTC).date() == d("2027-06-30")
    assert today_in_paris(late_evening_utc.astimezone(UTC)) == d("2027-07-01")
