"""Exports of the owner's booking and client lists (the kinds in exports/owner_lists.py): CSV,
Excel and PDF hold exactly the filtered rows. The exports machinery itself is tested in exports/tests/."""
import csv
import io
import subprocess

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from bookings.models import BookingStatus
from conftest import make_user
from exports.models import ExportJob, ExportStatus

from .dashboard_factories import NOW, make_booking, make_session, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def bookings(owner, other_owner, traveller):
    """Two upcoming bookings, one past, one request — and another owner's upcoming one."""
    unit, session = make_unit(owner), make_session(owner)
    return {
        "upcoming": make_booking(traveller=traveller, unit=unit, arrival="2027-05-10", total="240.00", adults=2),
        "session": make_booking(traveller=traveller, session=session, total="90.00", adults=1, children=1),
        "past": make_booking(traveller=traveller, unit=unit, arrival="2027-04-01", total="480.00"),
        "request": make_booking(traveller=traveller, unit=unit, status=BookingStatus.REQUESTED, arrival="2027-06-01"),
        "theirs": make_booking(traveller=traveller, unit=make_unit(other_owner), arrival="2027-05-10"),
    }


def export(client, kind: str, fmt: str, **params):
    return client.post(reverse("export_list", args=[kind, fmt]), params)


def upcoming_refs(bookings) -> set[str]:
    return {bookings["upcoming"].reference, bookings["session"].reference}


def test_csv_of_a_filter_holds_exactly_its_bookings(owner_client, bookings):
    response = export(owner_client, "bookings", "csv", filtre="a-venir")
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="reservations-a-venir-2027-05-03.csv"' in response["Content-Disposition"]
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Statut", "Référence", "Offre"]
    assert {row[1] for row in body} == upcoming_refs(bookings)
    upcoming = next(row for row in body if row[1] == bookings["upcoming"].reference)
    assert upcoming[0] == "À venir" and upcoming[3:7] == ["10/05/2027", "12/05/2027", "2", "240,00"]
    assert upcoming[8] == "Lucie Bernard"


def test_csv_follows_the_search_too(owner_client, bookings, owner):
    paul = make_user("paul@example.fr", first_name="Paul", last_name="Verlaine")
    theirs = make_booking(traveller=paul, unit=make_unit(owner), arrival="2027-05-20")
    raw = b"".join(export(owner_client, "bookings", "csv", filtre="a-venir", q="verlaine").streaming_content)
    body = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))[1:]
    assert [row[1] for row in body] == [theirs.reference]


def test_xlsx_of_a_filter_holds_exactly_its_bookings(owner_client, bookings):
    response = export(owner_client, "bookings", "xlsx", filtre="a-venir")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Référence"
    assert {row[1] for row in rows[1:]} == upcoming_refs(bookings)
    upcoming = next(row for row in rows[1:] if row[1] == bookings["upcoming"].reference)
    assert upcoming[3].date() == bookings["upcoming"].arrival and upcoming[6] == 240
    assert sheet.freeze_panes == "A2"  # the header stays in view while scrolling


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True,
                          check=True).stdout.decode()


def test_pdf_of_a_filter_holds_exactly_its_bookings_with_header_and_totals(owner_client, bookings):
    response = export(owner_client, "bookings", "pdf", filtre="a-venir")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Alma Heritage" in text and "Hélène Duval" in text
    assert "Réservations – À venir · 2 réservations" in text
    for name, booking in bookings.items():
        assert (booking.reference in text) == (name in ("upcoming", "session")), name
    totals = next(line for line in text.splitlines() if line.strip().startswith("Total"))
    assert "330,00 €" in totals and " 4 " in totals  # 240 + 90 €, 2 + 2 guests


def test_clients_csv_lists_only_this_owners_confirmed_travellers(owner_client, bookings, owner, other_owner,
                                                                 traveller):
    traveller.phone = "+33612345678"
    traveller.save()
    stranger = make_user("marc@example.fr", first_name="Marc", last_name="Autre")
    make_booking(traveller=stranger, unit=make_unit(other_owner), arrival="2027-05-20")
    asker = make_user("jeanne@example.fr", first_name="Jeanne", last_name="Demande")
    make_booking(traveller=asker, unit=make_unit(owner), status=BookingStatus.REQUESTED, arrival="2027-07-01")
    raw = b"".join(export(owner_client, "clients", "csv").streaming_content)
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Nom", "Courriel", "Téléphone", "Réservations confirmées", "Dernier séjour"]
    assert rows[1:] == [["Lucie Bernard", "lucie@example.fr", "+33612345678", "3", "12/06/2027"]]


# --- Long lists: a worker job --------------------------------------------------------------

@pytest.fixture
def small_threshold(settings):
    settings.EXPORT_SYNC_MAX_ROWS = 2


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_a_long_list_is_exported_by_a_worker_then_downloaded(owner_client, bookings, small_threshold, fmt,
                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = export(owner_client, "bookings", fmt, filtre="toutes")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("export_job", args=[job.pk])
    assert job.status == ExportStatus.DONE and job.progress == 100 and job.row_count == 4
    page = owner_client.get(response.url).content.decode()
    download = reverse("export_download", args=[job.pk])
    assert f'href="{download}"' in page and "Votre fichier est prêt (4 lignes)" in page
    content = b"".join(owner_client.get(download).streaming_content)
    mine = {b.reference for name, b in bookings.items() if name != "theirs"}
    if fmt == "csv":
        found = {row[1] for row in csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")}
        assert found - {"Référence"} == mine
    elif fmt == "xlsx":
        found = {row[1] for row in load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True)}
        assert found == mine
    else:
        text = pdf_text(content)
        assert all(ref in text for ref in mine) and bookings["theirs"].reference not in text


def test_another_owners_export_never_holds_my_bookings(client, other_owner, bookings):
    client.force_login(other_owner)
    raw = b"".join(export(client, "bookings", "csv").streaming_content)
    found = {row[1] for row in csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";")} - {"Référence"}
    assert found == {bookings["theirs"].reference}


def test_the_list_links_to_its_recent_exports_of_this_owner_only(owner_client, owner, other_owner, bookings):
    mine = ExportJob.objects.create(owner=owner, kind="bookings", format="xlsx", created_at=NOW)
    theirs = ExportJob.objects.create(owner=other_owner, kind="bookings", format="csv", created_at=NOW)
    clients_job = ExportJob.objects.create(owner=owner, kind="clients", format="csv", created_at=NOW)
    html = owner_client.get("/fr/tableau-de-bord/reservations/").content.decode()
    assert "Vos exports récents" in html and reverse("export_job", args=[mine.pk]) in html
    assert reverse("export_job", args=[theirs.pk]) not in html
    assert reverse("export_job", args=[clients_job.pk]) not in html
    assert reverse("export_job", args=[clients_job.pk]) in owner_client.get("/fr/tableau-de-bord/clients/").content.decode()


def test_a_traveller_name_never_becomes_a_spreadsheet_formula(owner_client, owner):
    trickster = make_user("evil@example.fr", first_name="=HYPERLINK(\"http://evil.example\")", last_name="X")
    make_booking(traveller=trickster, unit=make_unit(owner), arrival="2027-05-10")
    raw = b"".join(export(owner_client, "bookings", "csv").streaming_content).decode("utf-8-sig")
    name = list(csv.reader(io.StringIO(raw), delimiter=";"))[1][8]
    assert name.startswith("'=HYPERLINK")
    xlsx = export(owner_client, "bookings", "xlsx").content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    cell = list(sheet.iter_rows(min_row=2))[0][8]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
