"""Traveller reports as people meet them: the owner reports from "Réservations", staff work
the queue in admin (notes, states, decision by email), the flag shows to staff and to the
reporting owner only; somebody else gets a 404/403; bad input is an error on the page."""
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image

from accounts.staff_groups import BOOKINGS_AND_PAYMENTS
from bookings.models import BookingStatus
from bookings.tests.dashboard_factories import make_booking, make_unit
from conftest import make_user
from reports import services
from reports.models import ReportDecision, ReportNote, ReportPhoto, ReportStatus, TravellerReport

from .conftest import AFTER, photo, staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(AFTER, tick=False):
        yield


def file(booking, *, category="damage", description="Table du salon brûlée.", photos=()):
    return services.file_report(booking=booking, by=booking.owner, category=category, description=description,
                                photos=list(photos), now=AFTER)


def post_report(client, booking, **data):
    return client.post(reverse("report_new", args=[booking.reference]),
                       {"category": "damage", "description": "Table du salon brûlée.", **data})


# --- The owner files a report, staff decide ----------------------------------------------------

def test_report_workflow_end_to_end(owner_client, client, stay, owner, reports_staff, mailoutbox,
                                    django_capture_on_commit_callbacks):
    form_url = reverse("report_new", args=[stay.reference])
    page = owner_client.get(form_url).content.decode()
    # The FAQ's damage answer beside the form: deposit, insurance, report.
    assert "dépôt de garantie" in page and "assureur" in page and "Signalez le voyageur" in page
    assert "Un seul signalement à la fois par réservation" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(form_url, {
            "category": "damage", "description": "Table du salon brûlée,\r\nrideaux tachés.",
            "photos": [photo("table.jpg", gps=True), photo("rideaux.png")]})
    report = TravellerReport.objects.get(booking=stay)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard_report", args=[report.pk])
    assert (report.owner, report.traveller, report.status) == (owner, stay.traveller, ReportStatus.NEW)
    assert report.description == "Table du salon brûlée,\nrideaux tachés."
    staff_mail = mailoutbox[-1]
    assert staff_mail.to == [django_settings.STAFF_INBOX_REPORTS]
    assert stay.reference in staff_mail.subject and "rideaux tachés" in staff_mail.body

    # The photos: re-encoded (no GPS left), in the private storage, not under the public media.
    photos = list(report.photos.all())
    assert [p.position for p in photos] == [1, 2]
    stored = Path(django_settings.STORAGES["private"]["OPTIONS"]["location"]) / photos[0].image.name
    assert stored.exists() and not str(stored).startswith(str(django_settings.MEDIA_ROOT))
    with Image.open(stored) as image:
        assert image.format == "JPEG" and not image.getexif().get(0x8825)

    # The owner sees the report and its state; a second report on the booking is refused while it is open.
    detail = owner_client.get(reverse("dashboard_report", args=[report.pk])).content.decode()
    assert "Nouveau" in detail and "2 photos, visibles par l'équipe seule" in detail
    again = owner_client.get(form_url).content.decode()
    assert "Un signalement est déjà en cours" in again and 'type="file"' not in again
    assert post_report(owner_client, stay).status_code == 400
    assert TravellerReport.objects.filter(booking=stay).count() == 1

    # Staff: the queue, the photos through the staff view, a note, in review, then the decision.
    client = Client()
    client.force_login(reports_staff)
    assert stay.reference in client.get(reverse("admin:reports_travellerreport_changelist")).content.decode()
    change = reverse("admin:reports_travellerreport_change", args=[report.pk])
    page = client.get(change).content.decode()
    photo_url = reverse("admin:reports_travellerreport_photo", args=[report.pk, photos[0].pk])
    assert f'src="{photo_url}"' in page and "/media/" not in page.split("photo_gallery")[-1].split("</div>")[0]
    served = client.get(photo_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert served.content[:2] == b"\xff\xd8" and "private, no-store" in served["Cache-Control"]

    def post(**data):
        # The inlines' management forms, as the browser sends them.
        inline = dict(re.findall(r'name="((?:notes|events)-[\w-]+)"[^>]*value="([^"]*)"',
                                 client.get(change).content.decode()))
        return client.post(change, {**inline, **data})

    assert post(**{"note": "Appelé le propriétaire : photos convaincantes.", "step": "start"}).status_code == 302
    report.refresh_from_db()
    note = ReportNote.objects.get(report=report)
    assert (note.author, note.created_at, report.status) == (reports_staff, AFTER, ReportStatus.IN_REVIEW)
    assert post(step="close", new_decision="upheld", new_decision_text="").status_code == 200  # the decision's text is required
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert post(step="close", new_decision="upheld",
                    new_decision_text="Dégâts établis ; le voyageur est averti.").status_code == 302
    report.refresh_from_db()
    assert (report.status, report.decision, report.decided_by, report.decided_at) == (
        ReportStatus.CLOSED, ReportDecision.UPHELD, reports_staff, AFTER)
    assert [(e.from_status, e.to_status, e.actor) for e in report.events.all()] == [
        ("", "new", owner), ("new", "in_review", reports_staff), ("in_review", "closed", reports_staff)]
    assert all(e.created_at == AFTER for e in report.events.all())
    [decision_mail] = mailoutbox
    assert decision_mail.to == [owner.email] and "retient" in decision_mail.body
    assert "Dégâts établis" in decision_mail.body and "photos convaincantes" not in decision_mail.body

    # The owner reads the decision, never the internal note; the traveller stays flagged (upheld).
    detail = owner_client.get(reverse("dashboard_report", args=[report.pk])).content.decode()
    assert "Signalement retenu" in detail and "Dégâts établis" in detail and "convaincantes" not in detail
    assert services.is_flagged(stay.traveller)
    with pytest.raises(services.ReportError):
        services.close_report(report=report, by=reports_staff, decision="not_upheld", text="Non", now=AFTER)


def test_the_decision_email_speaks_the_owners_language(stay, owner, reports_staff, mailoutbox,
                                                       django_capture_on_commit_callbacks):
    owner.language = "en"
    owner.save(update_fields=["language"])
    report = file(stay)
    with django_capture_on_commit_callbacks(execute=True):
        services.close_report(report=report, by=reports_staff, decision="not_upheld",
                              text="Nothing shows the traveller caused it.", now=AFTER)
    [mail] = [m for m in mailoutbox if m.to == [owner.email]]
    assert mail.subject.endswith("Your report has been dealt with")
    assert "does not uphold it" in mail.body and "Nothing shows" in mail.body
    assert translation.get_language() == "fr"


def test_the_reports_group_works_the_queue_and_others_do_not(client, stay, reports_staff, moderator):
    report = file(stay, photos=[photo()])
    photo_url = reverse("admin:reports_travellerreport_photo", args=[report.pk, report.photos.get().pk])
    urls = [reverse("admin:reports_travellerreport_changelist"),
            reverse("admin:reports_travellerreport_change", args=[report.pk]), photo_url]
    client.force_login(moderator)
    assert [client.get(url).status_code for url in urls] == [403, 403, 403]
    client.force_login(reports_staff)
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    # A photo id of another report is not found under this one.
    other = file(make_booking(traveller=stay.traveller, unit=stay.unit, arrival="2027-04-01"), photos=[photo()])
    assert client.get(reverse("admin:reports_travellerreport_photo",
                              args=[report.pk, other.photos.get().pk])).status_code == 404


# --- Who may see what ---------------------------------------------------------------------

def test_another_owner_the_traveller_and_anonymous_never_reach_a_report(client, stay, other_owner, traveller):
    report = file(stay, photos=[photo()])
    owner_urls = [reverse("report_new", args=[stay.reference]), reverse("dashboard_report", args=[report.pk])]
    photo_url = reverse("admin:reports_travellerreport_photo", args=[report.pk, report.photos.get().pk])

    client.force_login(other_owner)
    assert [client.get(url).status_code for url in owner_urls] == [404, 404]
    assert post_report(client, stay).status_code == 404
    assert client.get(reverse("dashboard_reports")).content.decode().count(stay.reference) == 0
    assert client.get(photo_url).status_code == 302  # not staff: the admin's login
    # The traveller (not an owner) is sent to "become an owner", never shown the report.
    client.force_login(traveller)
    for url in owner_urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("become_owner")
    assert client.get(photo_url).status_code == 302
    client.logout()
    for url in [*owner_urls, photo_url]:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    assert TravellerReport.objects.count() == 1


def test_only_the_bookings_owner_may_report_through_the_service(stay, other_owner):
    with pytest.raises(services.ReportError):
        services.file_report(booking=stay, by=other_owner, category="damage", description="x", photos=[],
                             now=AFTER)


# --- Bad input ----------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "message"), [
    ({"photos": [SimpleUploadedFile("contrat.pdf", b"%PDF-1.4 not an image", "application/pdf")]},
     "n&#x27;est pas une image lisible"),
    ({"photos": [photo(f"p{n}.jpg") for n in range(6)]}, "5 photos au plus : vous en avez joint 6"),
    ({"description": "x" * 2001}, "2000 caractères"),
    ({"description": "   "}, "Ce champ est obligatoire"),
    ({"category": "vol"}, "Sélectionnez un choix valide"),
    ({"photos": [SimpleUploadedFile("vide.jpg", b"", "image/jpeg")]}, "Le fichier soumis est vide"),
])
def test_bad_input_is_an_error_on_the_page_and_nothing_is_kept(owner_client, stay, data, message):
    response = post_report(owner_client, stay, **data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not TravellerReport.objects.exists() and not ReportPhoto.objects.exists()


def test_a_too_heavy_photo_is_refused_with_its_weight(owner_client, stay, settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 10_000
    response = post_report(owner_client, stay, photos=[photo(size=(1600, 1200))])
    assert response.status_code == 400 and "le maximum est" in response.content.decode()
    assert not TravellerReport.objects.exists()


def test_a_booking_never_paid_cannot_be_reported(owner_client, traveller, unit):
    request = make_booking(traveller=traveller, unit=unit, status=BookingStatus.REQUESTED, arrival="2027-06-01")
    page = owner_client.get(reverse("report_new", args=[request.reference])).content.decode()
    assert "Seule une réservation payée" in page and 'type="file"' not in page
    assert post_report(owner_client, request).status_code == 400
    assert not TravellerReport.objects.exists()
    booking_page = owner_client.get(reverse("dashboard_booking", args=[request.reference])).content.decode()
    assert "Signaler le voyageur" not in booking_page


def test_two_open_reports_on_one_booking_cannot_be_stored(stay):
    file(stay)
    with pytest.raises(services.ReportError):
        file(stay)
    # Closed, the booking may be reported again.
    TravellerReport.objects.update(status=ReportStatus.CLOSED, decision="not_upheld", decision_text="Non",
                                   decided_at=AFTER)
    assert file(stay).status == ReportStatus.NEW


# --- The flag -----------------------------------------------------------------------------

def test_the_flag_shows_on_the_reported_booking_of_its_owner_only(client, owner_client, owner, other_owner,
                                                                  traveller, stay, unit, reports_staff):
    second_stay = make_booking(traveller=traveller, unit=unit, arrival="2027-07-01")
    elsewhere = make_booking(traveller=traveller, unit=make_unit(other_owner), arrival="2027-05-09")
    file(stay)

    rows = owner_client.get(reverse("dashboard_bookings")).content.decode().split("<tr>")
    flagged = [row for row in rows if "Signalé à l'équipe" in row]
    assert len(flagged) == 1 and stay.reference in flagged[0] and second_stay.reference not in flagged[0]
    assert "Signalé à l'équipe" in owner_client.get(
        reverse("dashboard_booking", args=[stay.reference])).content.decode()
    assert "Signalé à l'équipe" not in owner_client.get(
        reverse("dashboard_booking", args=[second_stay.reference])).content.decode()
    # Another owner of the same traveller sees nothing; nor does the traveller on their trip.
    client = Client()
    client.force_login(other_owner)
    for url in (reverse("dashboard_bookings"), reverse("dashboard_booking", args=[elsewhere.reference])):
        assert "Signalé" not in client.get(url).content.decode()
    client.force_login(traveller)
    assert "Signalé" not in client.get(reverse("trip_detail", args=[stay.reference])).content.decode()
    # Staff: the users' and bookings' lists flag the traveller, and filter on it.
    client.force_login(reports_staff)
    users = client.get(reverse("admin:accounts_user_changelist") + "?signale=1").content.decode()
    assert traveller.email in users and owner.email not in users
    assert traveller.email not in client.get(reverse("admin:accounts_user_changelist") + "?signale=0").content.decode()
    client.force_login(staff_member("caisse@example.fr", BOOKINGS_AND_PAYMENTS))
    bookings = client.get(reverse("admin:bookings_booking_changelist") + "?signale=1").content.decode()
    assert stay.reference in bookings and elsewhere.reference in bookings  # the traveller, whoever the owner


def test_a_report_not_upheld_lifts_the_flag(owner_client, stay, reports_staff):
    report = file(stay)
    services.start_review(report=report, by=reports_staff, now=AFTER)
    services.close_report(report=report, by=reports_staff, decision="not_upheld", text="Pas de preuve.", now=AFTER)
    assert not services.is_flagged(stay.traveller)
    page = owner_client.get(reverse("dashboard_bookings")).content.decode()
    assert "Signalé à l'équipe" not in page
    booking_page = owner_client.get(reverse("dashboard_booking", args=[stay.reference])).content.decode()
    assert "Signalement non retenu" in booking_page and "Signaler le voyageur" in booking_page  # may report again


# --- Lists --------------------------------------------------------------------------------

def test_my_reports_is_paginated_in_a_fixed_number_of_queries(owner_client, owner, traveller, unit,
                                                             django_assert_num_queries):
    made = []

    def add(count):
        for _ in range(count):  # stays of 2 nights, 3 days apart (live stays never overlap on PostgreSQL)
            made.append(file(make_booking(traveller=traveller, unit=unit,
                                          arrival=date(2026, 6, 1) + timedelta(days=3 * len(made)))))

    add(3)
    url = reverse("dashboard_reports")
    # session, user, owner profile (owner_required), count, page, and the base template's one
    with django_assert_num_queries(5):
        few = owner_client.get(url)
    add(22)
    with django_assert_num_queries(5):
        many = owner_client.get(url)
    assert few.content.decode().count("<tr>") == 1 + 3
    assert many.content.decode().count("<tr>") == 1 + 20 and "Page 1 sur 2" in many.content.decode()
    assert owner_client.get(url + "?page=2").content.decode().count("<tr>") == 1 + 5


def test_the_bookings_list_flag_costs_one_query_whatever_the_rows(owner_client, traveller, unit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            owner_client.get(reverse("dashboard_bookings"))
        return len(captured)

    file(make_booking(traveller=traveller, unit=unit, arrival="2027-03-01"))
    few = queries()
    for n in range(10):
        file(make_booking(traveller=traveller, unit=unit, arrival=date(2027, 8, 1) + timedelta(days=3 * n)))
    assert queries() == few


# --- Export and languages -------------------------------------------------------------------

def test_reports_made_by_gives_plain_data_for_the_export(stay, owner, reports_staff):
    report = file(stay, photos=[photo()])
    services.add_note(report=report, by=reports_staff, text="Note interne", now=AFTER)
    assert services.reports_made_by(owner) == [{
        "booking": stay.reference, "category": "damage", "description": "Table du salon brûlée.", "photos": 1,
        "status": "new", "decision": "", "decision_text": "", "created_at": AFTER.isoformat(),
        "decided_at": None}]
    assert services.reports_made_by(make_user("personne@example.fr")) == []


@pytest.fixture
def back_to_french():
    yield
    translation.activate("fr")


def test_the_pages_speak_english_too(owner_client, stay, back_to_french):
    report = file(stay)
    with translation.override("en"):  # the /en/ addresses
        urls = [reverse("report_new", args=[stay.reference]), reverse("dashboard_reports"),
                reverse("dashboard_report", args=[report.pk])]
    form = owner_client.get(urls[0])
    assert "A report is already open for this booking" in form.content.decode()
    assert "security deposit" in form.content.decode()
    listing = owner_client.get(urls[1]).content.decode()
    assert "My reports" in listing and "Damage" in listing and "New" in listing
    detail = owner_client.get(urls[2])
    assert "The team is examining your report" in detail.content.decode()


def test_html_in_a_description_stays_inert_text(owner_client, stay, reports_staff):
    report = file(stay, description='<script>alert("x")</script><b>gras</b>')
    page = owner_client.get(reverse("dashboard_report", args=[report.pk])).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;gras&lt;/b&gt;" in page
    assert "<script>alert" not in page
    staff = Client()
    staff.force_login(reports_staff)
    admin_page = staff.get(reverse("admin:reports_travellerreport_change", args=[report.pk])).content.decode()
    assert "&lt;script&gt;" in admin_page and "<script>alert" not in admin_page
