"""The Réservations and Clients tabs in a real browser: accessible (axe-core), and a request
accepted with the ✓ button of its row."""
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bookings.models import BookingStatus
from conftest import PASSWORD
from exports.models import ExportJob
from exports.services import run_export_job

from .dashboard_factories import make_booking, make_session, make_unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, email: str) -> None:
    page.goto(live_server.url + "/fr/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_owner_sorts_answers_and_finds_clients(live_server, page, axe_check, owner, traveller):
    today = timezone.localdate()
    unit, session = make_unit(owner), make_session(owner, start=timezone.now() + timedelta(days=20))
    make_booking(traveller=traveller, unit=unit, arrival=today + timedelta(days=5))
    make_booking(traveller=traveller, session=session)
    make_booking(traveller=traveller, unit=unit, arrival=today - timedelta(days=20), refunded="240.00",
                 status=BookingStatus.CANCELLED)
    request = make_booking(traveller=traveller, unit=make_unit(owner, room="Chambre verte"),
                           status=BookingStatus.REQUESTED, arrival=today + timedelta(days=30),
                           respond_by=timezone.now() + timedelta(days=2, hours=5, minutes=30))

    log_in(page, live_server, owner.email)
    page.goto(live_server.url + "/fr/tableau-de-bord/reservations/")
    expect(page.get_by_role("heading", name="Réservations", exact=True)).to_be_visible()
    expect(page.get_by_text("Reste 2 j 5 h")).to_be_visible()
    axe_check(page, context="Réservations")

    page.get_by_role("link", name="En attente (1)").click()
    expect(page.get_by_role("table")).to_contain_text(request.reference)
    page.get_by_role("button", name=f"Accepter la demande {request.reference}").click()
    expect(page.get_by_text(f"Demande {request.reference} acceptée")).to_be_visible()
    request.refresh_from_db()
    assert request.status == BookingStatus.AWAITING_PAYMENT

    page.get_by_role("link", name=request.reference, exact=True).click()
    expect(page.get_by_role("heading", name=f"Réservation {request.reference}")).to_be_visible()
    axe_check(page, context="booking detail")

    page.get_by_role("link", name="Clients").click()
    expect(page.get_by_role("table")).to_contain_text("lucie@example.fr")
    axe_check(page, context="Clients")


def test_a_long_export_is_prepared_then_downloaded(live_server, page, axe_check, owner, traveller, settings):
    settings.EXPORT_SYNC_MAX_ROWS = 1  # every list is "long": the worker (eager here) writes the file
    unit = make_unit(owner)
    for days in (5, 10):
        make_booking(traveller=traveller, unit=unit, arrival=timezone.localdate() + timedelta(days=days))
    log_in(page, live_server, owner.email)
    page.goto(live_server.url + "/fr/tableau-de-bord/reservations/?filtre=a-venir")
    page.get_by_role("button", name="Excel").click()
    expect(page.get_by_text("Votre fichier est prêt (2 lignes).")).to_be_visible()
    axe_check(page, context="export job")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le fichier").click()
    assert download.value.suggested_filename == f"reservations-a-venir-{timezone.localdate():%Y-%m-%d}.xlsx"


def test_the_job_page_polls_until_the_file_is_ready(live_server, page, owner, traveller):
    make_booking(traveller=traveller, unit=make_unit(owner), arrival=timezone.localdate() + timedelta(days=5))
    job = ExportJob.objects.create(owner=owner, kind="bookings", format="csv", created_at=timezone.now(), params={
        "filter": "toutes", "q": "", "today": timezone.localdate().isoformat(), "language": "fr"})
    log_in(page, live_server, owner.email)
    page.goto(live_server.url + f"/fr/tableau-de-bord/exports/{job.pk}/")
    expect(page.get_by_label("Préparation du fichier")).to_be_visible()
    run_export_job(job_id=job.pk, now=timezone.now())  # the worker finishes while the page waits
    expect(page.get_by_role("link", name="Télécharger le fichier")).to_be_visible(timeout=10_000)
