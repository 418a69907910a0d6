"""The unit's export link, read back by an independent parser (ical.js from npm)."""
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse

from bookings.models import BookingStatus, ExternalBlock
from calsync import feeds

ROOT = Path(__file__).resolve().parents[2]
ICAL_JS = """
const ICAL = require("ical.js");
let text = "";
process.stdin.on("data", (chunk) => (text += chunk));
process.stdin.on("end", () => {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents("vevent").map((component) => {
    const event = new ICAL.Event(component);
    return {uid: event.uid, start: event.startDate.toString(), end: event.endDate.toString(),
            allDay: event.startDate.isDate, summary: event.summary};
  });
  console.log(JSON.stringify({
    prodid: calendar.getFirstPropertyValue("prodid"),
    refresh: String(calendar.getFirstPropertyValue("refresh-interval")),
    ttl: calendar.getFirstPropertyValue("x-published-ttl"),
    events}));
});
"""


def read_with_ical_js(body: bytes) -> dict:
    if shutil.which("node") is None or not (ROOT / "node_modules" / "ical.js").exists():
        pytest.fail("node and node_modules/ical.js are needed (npm install)")
    done = subprocess.run(["node", "-e", ICAL_JS], input=body, capture_output=True, cwd=ROOT, timeout=30,
                          check=True)
    return json.loads(done.stdout)


@pytest.fixture
def export_url(unit):
    return reverse("ical_export", args=[feeds.export_calendar(unit=unit).token])


@pytest.mark.django_db
def test_export_lists_live_stays_as_all_day_events_read_back_by_ical_js(client, unit, book, export_url):
    confirmed = book(unit, date(2027, 7, 10), date(2027, 7, 14))
    requested = book(unit, date(2027, 8, 1), date(2027, 8, 3), status=BookingStatus.REQUESTED)
    book(unit, date(2027, 9, 1), date(2027, 9, 5), status=BookingStatus.CANCELLED)
    book(unit, date(2027, 9, 10), date(2027, 9, 12), status=BookingStatus.EXPIRED)

    response = client.get(export_url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    parsed = read_with_ical_js(response.content)
    assert parsed["events"] == [
        {"uid": f"{confirmed.reference}@almaheritage", "start": "2027-07-10", "end": "2027-07-14", "allDay": True,
         "summary": "Réservé – Alma Heritage"},
        {"uid": f"{requested.reference}@almaheritage", "start": "2027-08-01", "end": "2027-08-03", "allDay": True,
         "summary": "Réservé – Alma Heritage"},
    ]
    assert parsed["refresh"] == "PT50M" and parsed["ttl"] == "PT50M"
    assert "Alma Heritage" in parsed["prodid"]


@pytest.mark.django_db
def test_export_carries_no_personal_data(client, unit, book, traveller, export_url):
    book(unit, date(2027, 7, 10), date(2027, 7, 14), message="Nous arriverons tard, appelez Lucie au 0612")
    body = client.get(export_url).content.decode()
    for private in (traveller.email, traveller.first_name, traveller.last_name, "0612", "Lucie"):
        assert private not in body


@pytest.mark.django_db
def test_imported_blocks_are_never_exported(client, unit, book, export_url):
    book(unit, date(2027, 7, 10), date(2027, 7, 14))
    ExternalBlock.objects.create(unit=unit, start=date(2027, 8, 1), end=date(2027, 8, 5), feed_id=1,
                                 source_name="Airbnb", uid="abc@airbnb.com", summary="Reserved")
    parsed = read_with_ical_js(client.get(export_url).content)
    assert [(e["start"], e["end"]) for e in parsed["events"]] == [("2027-07-10", "2027-07-14")]


@pytest.mark.django_db
def test_conditional_get_answers_304_until_a_booking_changes(client, unit, book, export_url):
    book(unit, date(2027, 7, 10), date(2027, 7, 14))
    first = client.get(export_url)

    assert client.get(export_url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(export_url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304

    book(unit, date(2027, 8, 1), date(2027, 8, 3))
    again = client.get(export_url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


@pytest.mark.django_db
def test_regenerated_link_kills_the_old_one(owner_client, client, unit, export_url, now):
    assert client.get(export_url).status_code == 200

    owner_client.post(reverse("calsync_regenerate", args=[unit.pk]))

    assert client.get(export_url).status_code == 404
    new_url = reverse("ical_export", args=[feeds.export_calendar(unit=unit).token])
    assert new_url != export_url and client.get(new_url).status_code == 200


@pytest.mark.django_db
def test_unknown_token_is_404(client):
    assert client.get("/ical/pas-un-vrai-jeton-secret-du-tout.ics").status_code == 404


@pytest.mark.django_db
def test_export_token_has_at_least_128_bits(unit):
    token = feeds.export_calendar(unit=unit).token
    assert len(token) >= 32  # token_urlsafe(24): 192 bits in 32 characters


@pytest.mark.django_db
def test_head_requests_are_answered(client, export_url):
    response = client.head(export_url)
    assert response.status_code == 200 and response["ETag"]


@pytest.mark.django_db
def test_an_owner_typed_unit_name_is_escaped_and_folded(client, unit, book, export_url):
    """The name is the only owner-typed text in the feed: separators and line breaks in it
    must not end the property or inject one (written by icalendar, folded at 75 octets)."""
    from icalendar import Calendar

    unit.name = "Aile nord; l'été, \"tour\"\nBEGIN:VEVENT " + "é" * 60
    unit.save(update_fields=["name"])
    book(unit, date(2027, 7, 10), date(2027, 7, 14))

    body = client.get(export_url).content

    lines = body.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines) and body.endswith(b"END:VCALENDAR\r\n")
    assert b"\nBEGIN:VEVENT " not in body.replace(b"\r\n ", b"")
    calendar = Calendar.from_ical(body)
    escaped = unit.name.replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    assert str(calendar["X-WR-CALNAME"]) == f"Alma Heritage – {escaped}"  # X- properties are read raw
    assert len(calendar.walk("VEVENT")) == 1
