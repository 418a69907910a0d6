"""The importer's own regression feeds: one per platform format that matters.

``fixtures/`` holds feeds written for this repository in the shapes Airbnb, Booking.com,
Abritel/VRBO, Expedia, Google, Outlook, Apple Calendar and channel managers publish;
``fixtures/expected.json`` gives the nights each must block (half-open ranges, merged:
the departure day is free). They run through the real parser, so the importer is
covered by a plain clone; the larger shared corpus adds to them where it is present
(test_parsing.py).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from calsync.parsing import NotACalendar, parse_feed
from core.ranges import merge_ranges

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXPECTED: dict[str, dict] = json.loads((FIXTURES / "expected.json").read_text())
PARIS = ZoneInfo("Europe/Paris")
TODAY = date(2027, 3, 1)  # the fetch day every fixture stands for, unless it says otherwise


def _ranges(pairs) -> list[tuple[date, date]]:
    return [(date.fromisoformat(a), date.fromisoformat(b)) for a, b in pairs]


def _read(name: str):
    today = date.fromisoformat(EXPECTED[name].get("today", TODAY.isoformat()))
    return parse_feed((FIXTURES / name).read_bytes(), zone=PARIS, today=today)


def test_every_fixture_has_its_expected_nights_and_every_platform_is_there():
    assert sorted(EXPECTED) == sorted(p.name for p in FIXTURES.glob("*.ics"))
    platforms = {case["platform"].split(" (")[0] for case in EXPECTED.values()}
    assert platforms >= {"Airbnb", "Booking.com", "Abritel / VRBO", "Expedia", "Google Agenda", "Outlook",
                         "Apple Calendar", "Channel manager"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_blocks_exactly_its_nights(name: str):
    case = EXPECTED[name]
    if case.get("error"):
        with pytest.raises(NotACalendar):
            _read(name)
        return
    result = _read(name)
    assert merge_ranges((b.start, b.end) for b in result.blocks) == _ranges(case["blocked"]), case["note"]
    tentative = merge_ranges((b.start, b.end) for b in result.blocks if b.tentative)
    assert tentative == _ranges(case.get("tentative", []))
    assert bool(result.warnings) == case.get("warnings", False), result.warnings


def test_airbnb_stays_and_restrictions_keep_their_summaries():
    # The dashboard shows where a block comes from: a guest's stay or a closure.
    blocks = _read("airbnb.ics").blocks
    stays = sorted((b.start, b.end) for b in blocks if b.summary == "Reserved")
    assert stays == _ranges([["2027-03-12", "2027-03-16"], ["2027-03-16", "2027-03-19"], ["2027-05-10", "2027-05-12"]])
    assert {b.uid.split("-")[0] for b in blocks if b.summary == "Airbnb (Not available)"} == {"7f662ec65913"}


def test_abritel_french_summaries_are_read_as_utf8():
    assert {b.summary for b in _read("abritel.ics").blocks} == {
        "Réservée - Camille", "Indisponible", "Provisoire - Louis", "Blocked"}


def test_empty_feed_is_valid_but_flagged_as_empty():
    result = _read("booking_empty.ics")
    assert result.is_empty_calendar and result.blocks == []


def test_moved_instance_replaces_its_occurrence_not_adds_to_it():
    # Google's override for 06-21 (moved to 06-22) and Outlook's for 10-11 (moved to 10-13):
    # the original dates are free.
    google = {b.start for b in _read("google.ics").blocks}
    outlook = {b.start for b in _read("outlook.ics").blocks}
    assert date(2027, 6, 21) not in google and date(2027, 6, 22) in google
    assert date(2027, 10, 11) not in outlook and date(2027, 10, 13) in outlook
