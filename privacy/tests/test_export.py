"""« Mes données »: asking, the worker's ZIP (opened and read), the 24 h link, other people's links."""
import csv
import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from conftest import make_user
from privacy import services
from privacy.models import DataExport, DataExportStatus

from .conftest import CONTACT_MESSAGE, EMAIL, FIRST, PHONE, STREET, TRIP_MESSAGE, VOUCHER_MESSAGE


def open_zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def read_csv(archive: zipfile.ZipFile, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(archive.read(f"{name}.csv").decode("utf-8-sig"))))


@pytest.fixture
def person_client(client, person, django_capture_on_commit_callbacks):
    """Signed in as her; the export task runs when the request's transaction commits, as in production."""
    client.force_login(person)
    post = client.post

    def post_and_commit(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(*args, **kwargs)

    client.post = post_and_commit
    return client


def ask_and_download(client) -> zipfile.ZipFile:
    response = client.post(reverse("request_data_export"))  # the worker runs eagerly in tests
    assert response.status_code == 302
    export = DataExport.objects.get()
    assert export.status == DataExportStatus.READY and export.progress == 100
    page = client.get(reverse("my_data")).content.decode()
    assert reverse("download_data_export", args=[export.pk]) in page
    response = client.get(reverse("download_data_export", args=[export.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    return open_zip(response)


def test_an_owners_export_holds_her_profile_offers_bookings_received_money_and_reviews(
        person_client, person, hosted, her_other_data):
    archive = ask_and_download(person_client)
    names = set(archive.namelist())
    assert {"data.json", "LISEZMOI.txt", "profile.csv", "offers.csv", "bookings_received.csv", "payouts.csv",
            "reviews_received.csv", "contact_messages.csv", "consents.csv"} <= names
    data = json.loads(archive.read("data.json"))
    profile = data["profile"][0]
    assert (profile["email"], profile["first_name"], profile["phone"]) == (EMAIL, FIRST, PHONE)
    assert profile["owner_address_line1"] == STREET
    assert any(row["kind"] == "billing" and row["line1"] == STREET for row in data["addresses"])
    domain = next(row for row in data["offers"] if row["kind"] == "domain")
    assert domain["name"] == "Moulin de la Roche" and domain["address"] == STREET
    assert any(row["kind"] == "lodging" for row in data["offers"])
    received = data["bookings_received"]
    assert [row["reference"] for row in received] == [hosted.reference]
    assert received[0]["traveller"] == "Gaspard Lemoine" and received[0]["total_price"] == "400.00"
    assert [row["kind"] for row in data["payouts"]] == ["payout", "invoice"]
    assert data["payouts"][0]["status"] == "sent"
    assert data["reviews_received"][0]["owner_reply"] == "Merci Gaspard !"
    assert data["contact_messages"][0]["message"] == CONTACT_MESSAGE
    assert {row["consent"]: row["given"] for row in data["consents"]} == {
        "review_emails": True, "news_emails": False, "transactional_emails": True}
    # The CSVs say the same as the JSON.
    assert read_csv(archive, "bookings_received")[0]["reference"] == hosted.reference
    assert read_csv(archive, "profile")[0]["email"] == EMAIL
    assert "Vos données chez Alma Heritage" in archive.read("LISEZMOI.txt").decode()


def test_a_travellers_export_holds_her_trips_payments_reviews_vouchers(person_client, person, trip, her_other_data):
    archive = ask_and_download(person_client)
    data = json.loads(archive.read("data.json"))
    assert [row["reference"] for row in data["trips"]] == [trip.reference]
    assert data["trips"][0]["traveller_message"] == TRIP_MESSAGE
    assert "traveller" not in data["trips"][0]  # her own trips: no column about someone else
    assert data["bookings_received"] == []
    assert [(row["kind"], row["amount"], row["status"]) for row in data["payments"]] == [
        ("payment", "400.00", "succeeded")]
    assert data["reviews_written"][0]["text"] == "Un prieuré superbe."
    voucher = next(row for row in data["vouchers_and_donations"] if row["kind"] == "voucher")
    assert voucher["message"] == VOUCHER_MESSAGE and voucher["amount"] == "100.00"
    trips_csv = read_csv(archive, "trips")
    assert trips_csv[0]["reference"] == trip.reference and trips_csv[0]["traveller_message"] == TRIP_MESSAGE


def test_the_file_is_outside_public_media(person_client, person):
    ask_and_download(person_client)
    export = DataExport.objects.get()
    path = Path(export.file.path)
    assert path.is_file() and Path(settings.PRIVACY_EXPORT_ROOT) in path.parents
    assert Path(settings.MEDIA_ROOT) not in path.parents
    assert person_client.get(f"/media/{export.file.name}").status_code == 404


def test_the_page_shows_progress_while_the_worker_builds(client, person):
    person_client = client  # its transaction never commits here: the worker has not started yet
    person_client.force_login(person)
    person_client.post(reverse("request_data_export"))
    export = DataExport.objects.get()
    page = person_client.get(reverse("my_data")).content.decode()
    assert "export-progress" in page and reverse("data_export_status", args=[export.pk]) in page
    assert person_client.get(reverse("data_export_status", args=[export.pk])).json() == {
        "status": "pending", "progress": 0, "finished": False}
    # Asking again while it is being prepared is refused, with a reason.
    response = person_client.post(reverse("request_data_export"), follow=True)
    assert "déjà en préparation" in response.content.decode()
    assert DataExport.objects.count() == 1
    services.build_export(export_id=export.pk, now=timezone.now())
    assert person_client.get(reverse("data_export_status", args=[export.pk])).json()["finished"] is True


def test_asking_is_limited_per_day(person_client, person):
    for _ in range(services.EXPORTS_PER_DAY):
        person_client.post(reverse("request_data_export"))
    response = person_client.post(reverse("request_data_export"), follow=True)
    assert "réessayez demain" in response.content.decode()
    assert DataExport.objects.count() == services.EXPORTS_PER_DAY


def test_another_persons_link_is_a_404(client, person, person_client):
    ask_and_download(person_client)
    export = DataExport.objects.get()
    client.force_login(make_user("intrus@example.fr"))
    assert client.get(reverse("download_data_export", args=[export.pk])).status_code == 404
    assert client.get(reverse("data_export_status", args=[export.pk])).status_code == 404
    client.logout()
    response = client.get(reverse("download_data_export", args=[export.pk]))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_the_link_lasts_24_hours_then_says_so_and_the_purge_deletes_the_file(person_client, person):
    ask_and_download(person_client)
    export = DataExport.objects.get()
    path = Path(export.file.path)
    assert export.expires_at - export.finished_at == timedelta(hours=24)
    url = reverse("download_data_export", args=[export.pk])
    with time_machine.travel(export.finished_at + timedelta(hours=23, minutes=59)):
        assert person_client.get(url).status_code == 200
    with time_machine.travel(export.finished_at + timedelta(hours=24, minutes=1)):
        response = person_client.get(url)
        assert response.status_code == 410
        page = response.content.decode()
        assert "Ce lien de téléchargement a expiré" in page and reverse("request_data_export") in page
        call_command("purge_data_exports", stdout=io.StringIO())
        assert not path.exists()
        export.refresh_from_db()
        assert export.status == DataExportStatus.EXPIRED and not export.file
        assert person_client.get(url).status_code == 410
        # Asking again gives a new archive.
        person_client.post(reverse("request_data_export"))
        assert DataExport.objects.filter(status=DataExportStatus.READY).count() == 1


def test_a_failed_build_says_so_and_can_be_asked_again(person_client, person, monkeypatch):
    def broken(user):
        raise RuntimeError("disk full")

    from privacy import sections
    monkeypatch.setattr(sections, "EXPORT_SECTIONS", [sections.ExportSection("profile", "Profil", broken)])
    person_client.post(reverse("request_data_export"))
    export = DataExport.objects.get()
    assert export.status == DataExportStatus.FAILED and "disk full" in export.error
    page = person_client.get(reverse("my_data")).content.decode()
    assert "n'a pas pu être préparée" in page and reverse("request_data_export") in page


def test_the_page_is_in_english_for_an_english_reader(person_client, person):
    with translation.override("en"):
        url = reverse("my_data")  # /en/…: the language is the address's
    page = person_client.get(url).content.decode()
    assert "My data" in page and "Ask for my data" in page and "Mes données" not in page
