"""Feed parser against the shared corpus (calsync/tests/corpus.py, skipped without it)
plus focused cases. The repository's own platform feeds are in test_fixtures.py."""

from __future__ import annotations

import json
import random
import time
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from calsync.parsing import NotACalendar, ParsedBlock, parse_feed
from core.ranges import merge_ranges

from .corpus import corpus_dir, corpus_present

CORPUS = corpus_dir()
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PARIS = ZoneInfo("Europe/Paris")
# Files whose expected result does not depend on the fetch day are read as of this
# fixed day, so the default horizon (today + 18 months) is stable.
DEFAULT_TODAY = date(2026, 12, 1)


def _expected() -> list[tuple[str, dict | None]]:
    # Without the corpus, one placeholder case shows the skip and its reason (root conftest.py).
    if not corpus_present():
        return [("corpus-missing", None)]
    return sorted(json.loads((CORPUS / "expected.json").read_text()).items())


def _nights(ranges, horizon: date | None = None) -> set[date]:
    """Every night of the ranges, before ``horizon`` when given: how the corpus is scored."""
    out: set[date] = set()
    for start, end in ranges:
        day = start if isinstance(start, date) else date.fromisoformat(start)
        stop = end if isinstance(end, date) else date.fromisoformat(end)
        while day < stop:
            if horizon is None or day < horizon:
                out.add(day)
            day += timedelta(days=1)
    return out


def _parse(data: bytes, today: date = DEFAULT_TODAY, **kwargs):
    return parse_feed(data, zone=PARIS, today=today, **kwargs)


def _blocked(data: bytes, **kwargs) -> list[tuple[date, date]]:
    return merge_ranges((b.start, b.end) for b in _parse(data, **kwargs).blocks)


def _cal(*lines: str) -> bytes:
    body = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", *lines, "END:VCALENDAR"]
    return ("\r\n".join(body) + "\r\n").encode()


@pytest.mark.corpus
def test_corpus_is_complete():
    assert len(_expected()) >= 48


@pytest.mark.corpus
@pytest.mark.parametrize(("rel", "expected"), _expected(), ids=[rel for rel, _ in _expected()])
def test_corpus_file(rel: str, expected: dict | None):
    assert expected is not None, f"corpus not found at {CORPUS}"
    data = (CORPUS / rel).read_bytes()
    today = date.fromisoformat(expected["today"]) if expected.get("today") else DEFAULT_TODAY
    if expected.get("error"):
        with pytest.raises(NotACalendar):
            _parse(data, today=today)
        return
    result = _parse(data, today=today)
    horizon = date.fromisoformat(expected["horizon"]) if expected.get("horizon") else None
    want = _nights(expected.get("blocked_in_paris", expected["blocked"]), horizon)
    have = _nights(merge_ranges((b.start, b.end) for b in result.blocks), horizon)
    assert sorted(want - have) == [], "nights missing"
    assert sorted(have - want) == [], "extra nights"
    if expected.get("warnings"):
        assert result.warnings, "the file deserves a warning"


# ----------------------------------------------------------------------- merge_ranges


def d(text: str) -> date:
    return date.fromisoformat(text)


def test_merge_joins_touching_ranges():
    # [1, 4) and [4, 7): the 4th is a departure and an arrival day: one block.
    assert merge_ranges([(d("2027-01-04"), d("2027-01-07")), (d("2027-01-01"), d("2027-01-04"))]) == [
        (d("2027-01-01"), d("2027-01-07"))
    ]


def test_merge_keeps_a_free_night_between_ranges():
    ranges = [(d("2027-01-01"), d("2027-01-03")), (d("2027-01-04"), d("2027-01-05"))]
    assert merge_ranges(ranges) == ranges


def test_merge_overlapping_nested_and_empty_ranges():
    ranges = [
        (d("2027-01-10"), d("2027-01-20")),
        (d("2027-01-12"), d("2027-01-15")),  # nested
        (d("2027-01-18"), d("2027-01-25")),  # overlapping
        (d("2027-02-01"), d("2027-02-01")),  # empty: no night
    ]
    assert merge_ranges(ranges) == [(d("2027-01-10"), d("2027-01-25"))]
    assert merge_ranges([]) == []


# ------------------------------------------------------------------ airbnb day1 -> day2


@pytest.mark.corpus
def test_airbnb_day1_to_day2_pair():
    day1 = _parse((CORPUS / "synthetic/airbnb_window_day1.ics").read_bytes(), today=d("2026-12-01"))
    day2 = _parse((CORPUS / "synthetic/airbnb_window_day2.ics").read_bytes(), today=d("2026-12-02"))

    def bookings(result) -> dict[str, ParsedBlock]:
        return {b.uid: b for b in result.blocks if b.summary == "Reserved"}

    before, after = bookings(day1), bookings(day2)
    cancelled = set(before) - set(after)
    assert len(cancelled) == 1
    assert before[cancelled.pop()].start == d("2026-12-10")
    assert set(after) <= set(before), "restriction blocks that moved are not new bookings"
    changed = [uid for uid in after if (before[uid].start, before[uid].end) != (after[uid].start, after[uid].end)]
    assert len(changed) == 1
    assert (after[changed[0]].start, after[changed[0]].end) == (d("2027-01-06"), d("2027-01-11"))
    # The restriction blocks changed UID but are "Not available" blocks, not stays.
    restrictions = [b for b in day2.blocks if b.uid.startswith("7f662ec65913-")]
    assert {b.summary for b in restrictions} == {"Airbnb (Not available)"}


# -------------------------------------------------------------------- focused cases


def test_rejections():
    for data in (
        b"",
        b"  \r\n",
        b"<!DOCTYPE html><html><body>Login</body></html>",
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20270101\r\n",
        b"\x00\x01\x02garbage",
        b"END:VCALENDAR\r\n",
    ):
        with pytest.raises(NotACalendar):
            _parse(data)


def test_empty_calendar_is_valid_but_reported():
    result = _parse(_cal())
    assert result.blocks == [] and result.events_read == 0 and result.is_empty_calendar
    assert result.warnings


def test_tentative_blocks_and_is_flagged():
    result = _parse(
        _cal(
            "BEGIN:VEVENT",
            "UID:t1",
            "STATUS:TENTATIVE",
            "DTSTART;VALUE=DATE:20270301",
            "DTEND;VALUE=DATE:20270303",
            "END:VEVENT",
        )
    )
    assert [(b.start, b.end, b.tentative) for b in result.blocks] == [(d("2027-03-01"), d("2027-03-03"), True)]
    assert result.warnings


def test_timed_stay_uses_arrival_to_departure_and_midnight_end():
    data = _cal(
        "BEGIN:VEVENT",
        "UID:a",
        "DTSTART;TZID=Europe/Paris:20270501T150000",
        "DTEND;TZID=Europe/Paris:20270504T110000",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:b",
        "DTSTART;TZID=Europe/Paris:20270510T150000",
        "DTEND;TZID=Europe/Paris:20270512T000000",
        "END:VEVENT",
    )
    assert _blocked(data) == [(d("2027-05-01"), d("2027-05-04")), (d("2027-05-10"), d("2027-05-12"))]


def test_iana_tzid_wins_over_a_wrong_vtimezone():
    # OwnerRez-style VTIMEZONE "Europe/Paris" with BYDAY=4SU: it would end summer time
    # on 2027-10-24 instead of 10-31, moving a 23:30 arrival on 10-25 to 10-26.
    data = _cal(
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Paris",
        "BEGIN:DAYLIGHT",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0200",
        "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:+0200",
        "TZOFFSETTO:+0100",
        "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=4SU",
        "END:STANDARD",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        "UID:ownerrez-1",
        "DTSTART;TZID=Europe/Paris:20271025T233000",
        "DTEND;TZID=Europe/Paris:20271025T234500",
        "END:VEVENT",
    )
    assert _blocked(data) == [(d("2027-10-25"), d("2027-10-26"))]


def test_windows_zone_names():
    data = _cal(
        "BEGIN:VEVENT",
        "UID:w1",
        "DTSTART;TZID=Romance Standard Time:20270105T233000",
        "DTEND;TZID=Romance Standard Time:20270105T234500",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:w2",
        'DTSTART;TZID="(UTC-05:00) Eastern Time (US & Canada)":20270110T200000',
        'DTEND;TZID="(UTC-05:00) Eastern Time (US & Canada)":20270110T210000',
        "END:VEVENT",
    )
    # 20:00 in New York is 02:00 the next day in Paris.
    assert _blocked(data) == [(d("2027-01-05"), d("2027-01-06")), (d("2027-01-11"), d("2027-01-12"))]


def test_checkin_marker_without_a_stay_still_blocks():
    data = _cal(
        "BEGIN:VEVENT",
        "UID:m1",
        "SUMMARY:Check-in",
        "DTSTART;TZID=Europe/Paris:20270901T150000",
        "DTEND;TZID=Europe/Paris:20270901T153000",
        "END:VEVENT",
    )
    assert _blocked(data) == [(d("2027-09-01"), d("2027-09-02"))]


def test_cancelled_series_and_exdate_in_utc():
    data = _cal(
        "BEGIN:VEVENT",
        "UID:s1",
        "DTSTART;TZID=Europe/Paris:20270104T003000",
        "DTEND;TZID=Europe/Paris:20270104T010000",
        "RRULE:FREQ=DAILY;COUNT=3",
        "EXDATE:20270104T233000Z",  # = 2027-01-05 00:30 in Paris
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:s2",
        "STATUS:CANCELLED",
        "DTSTART;VALUE=DATE:20270110",
        "RRULE:FREQ=DAILY;COUNT=3",
        "END:VEVENT",
    )
    assert _blocked(data) == [(d("2027-01-04"), d("2027-01-05")), (d("2027-01-06"), d("2027-01-07"))]


def test_open_ended_rule_stops_at_horizon():
    data = _cal("BEGIN:VEVENT", "UID:r", "DTSTART;VALUE=DATE:20270101", "RRULE:FREQ=DAILY", "END:VEVENT")
    blocked = _blocked(data, horizon=d("2027-01-10"))
    assert blocked == [(d("2027-01-01"), d("2027-01-10"))]
    default = _blocked(data, today=d("2027-01-01"))  # horizon: today + 18 months
    assert default == [(d("2027-01-01"), d("2028-07-01"))]


def test_pathological_rules_are_fast():
    data = _cal(
        "BEGIN:VEVENT",
        "UID:p1",
        "DTSTART;VALUE=DATE:20270101",
        "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",  # never matches
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:p2",
        "DTSTART:20270101T100000Z",
        "RRULE:FREQ=HOURLY;BYSETPOS=2",  # never matches, dateutil would spin for minutes
        "END:VEVENT",
    )
    started = time.monotonic()
    result = _parse(data)
    assert time.monotonic() - started < 5
    assert {b.start for b in result.blocks} == {d("2027-01-01")}
    assert result.warnings


def test_what_the_pre_pass_mends_for_the_library():
    """Malformations that stop icalendar, mended or dropped before it reads the file: a stray
    line, doubled separators, an empty EXDATE, a `PT1W` duration, a date with dashes."""
    data = _cal(
        "this line is not a property",
        "BEGIN:VEVENT",
        "UID:m1",
        "DTSTART;;VALUE=DATE:20270301",
        "DURATION:PT1W",  # weeks after T: 7 nights
        "RRULE:FREQ=WEEKLY;;COUNT=2",
        "EXDATE:",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "UID:m2",
        "DTSTART:2027-04-01",
        "DTEND:2027-04-03",
        "END:VEVENT",
    )
    result = _parse(data)
    assert merge_ranges((b.start, b.end) for b in result.blocks) == [
        (d("2027-03-01"), d("2027-03-15")), (d("2027-04-01"), d("2027-04-03"))]
    assert any("without a colon" in w for w in result.warnings)
    assert any("Empty EXDATE" in w for w in result.warnings)


def test_a_bad_value_outside_what_we_read_never_refuses_the_file():
    # icalendar refuses a whole file for a bad value in the VCALENDAR itself or in an unknown
    # component; the pre-pass gives it only what the reader reads.
    data = _cal(
        "DTSTAMP:2027-13-45T99",
        "BEGIN:X-VENDOR-THING", "DTSTART:garbage", "END:X-VENDOR-THING",
        "BEGIN:VEVENT", "UID:a", "DTSTART;VALUE=DATE:20270301", "DTEND;X-\x7fODD=1;VALUE=DATE:20270303",
        "BEGIN:VALARM", "TRIGGER:soon", "END:VALARM", "END:VEVENT",
    )
    assert _blocked(data) == [(d("2027-03-01"), d("2027-03-03"))]


def test_rdate_periods_beside_plain_dates_and_a_date_exdate_on_a_timed_series():
    data = _cal(
        "BEGIN:VEVENT", "UID:p", "DTSTART;TZID=Europe/Paris:20270301T150000",
        "DTEND;TZID=Europe/Paris:20270301T160000",
        "RDATE;VALUE=PERIOD;TZID=Europe/Paris:20270310T150000/20270312T100000,20270320T150000",
        "EXDATE;VALUE=DATE:20270301",  # removes the instance of that day
        "END:VEVENT",
    )
    assert _blocked(data) == [(d("2027-03-10"), d("2027-03-12")), (d("2027-03-20"), d("2027-03-21"))]


def test_an_override_of_an_all_day_series_written_as_a_utc_date_time():
    # Exchange: RECURRENCE-ID 2027-01-10T23:00Z is the 11th in Paris, the instance it moves.
    data = _cal(
        "BEGIN:VEVENT", "UID:s", "DTSTART;VALUE=DATE:20270104", "DTEND;VALUE=DATE:20270105",
        "RRULE:FREQ=WEEKLY;COUNT=3", "END:VEVENT",
        "BEGIN:VEVENT", "UID:s", "RECURRENCE-ID:20270110T230000Z", "DTSTART;VALUE=DATE:20270113",
        "DTEND;VALUE=DATE:20270114", "END:VEVENT",
    )
    assert _blocked(data) == [(d("2027-01-04"), d("2027-01-05")), (d("2027-01-13"), d("2027-01-14")),
                              (d("2027-01-18"), d("2027-01-19"))]


@pytest.mark.parametrize("source", [pytest.param(FIXTURES, id="fixtures"),
                                    pytest.param(CORPUS, marks=pytest.mark.corpus, id="corpus")])
def test_fuzzed_input_only_raises_not_a_calendar(source: Path):
    rnd = random.Random(20261126)
    samples = [p.read_bytes() for p in sorted(source.rglob("*.ics"))]
    assert samples
    inserts = [b";", b":", b"\r\n", b"\r\n ", b"T", b"Z", b"-", b"/", b",", b'"', b"99999999", b"BEGIN:VEVENT\r\n"]
    for _ in range(400):
        data = bytearray(rnd.choice(samples))
        for _ in range(rnd.randint(1, 6)):
            i = rnd.randrange(max(1, len(data)))
            choice = rnd.random()
            if choice < 0.4:
                data[i : i + 1] = bytes([rnd.randrange(256)])
            elif choice < 0.7:
                del data[i : i + rnd.randint(1, 30)]
            else:
                data[i:i] = rnd.choice(inserts)
        try:
            _parse(bytes(data))
        except NotACalendar:
            pass
    for _ in range(50):
        try:
            _parse(bytes(rnd.randrange(256) for _ in range(rnd.randint(0, 200))))
        except NotACalendar:
            pass
