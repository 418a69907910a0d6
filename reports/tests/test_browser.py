"""The report journey in a real browser, each page checked by axe-core: the owner reports the
traveller of an ended stay with two photos (the FAQ's damage answer beside the form), staff
see the photos, take the report in hand and uphold it, and the owner reads the decision."""
from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from bookings.tests.dashboard_factories import make_booking
from bookings.tests.test_dashboard_browser import log_in
from conftest import totp_code
from reports.models import ReportDecision, ReportStatus, TravellerReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def jpeg(colour) -> dict:
    buffer = BytesIO()
    Image.new("RGB", (640, 480), colour).save(buffer, "JPEG")
    return {"name": f"degat-{colour[0]}.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def test_owner_reports_staff_uphold_owner_reads(live_server, page, axe_check, owner, traveller, staff, unit):
    today = timezone.localdate()
    stay = make_booking(traveller=traveller, unit=unit, arrival=today - timedelta(days=6),
                        departure=today - timedelta(days=4))

    log_in(page, live_server, owner.email)
    page.goto(f"{live_server.url}/tableau-de-bord/reservations/{stay.reference}/")
    page.get_by_role("link", name="Signaler le voyageur").click()
    expect(page.get_by_role("heading", name="Mon hébergement a subi une dégradation, quels sont mes droits ?"
                            .replace(" ?", "\u00a0?"))).to_be_visible()
    axe_check(page, context="report form")
    page.get_by_role("combobox", name="Catégorie").select_option("damage")
    page.get_by_role("textbox", name="Description").fill("Vitre du salon cassée, tapis taché.")
    page.get_by_label("Photos (facultatif)").set_input_files([jpeg((200, 40, 40)), jpeg((40, 40, 200))])
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(page.get_by_text("Votre signalement est transmis à l'équipe")).to_be_visible()
    axe_check(page, context="report page")
    page.get_by_role("link", name="← Mes signalements").click()
    expect(page.get_by_role("cell", name="Dégradation")).to_be_visible()
    axe_check(page, context="Mes signalements")
    page.goto(live_server.url + "/tableau-de-bord/reservations/")
    expect(page.get_by_text("Signalé à l'équipe")).to_have_count(1)

    page.context.clear_cookies()
    log_in(page, live_server, staff.email)
    page.get_by_label("Code").fill(totp_code())
    page.get_by_role("button", name="Connexion").click()
    page.goto(live_server.url + "/admin/reports/travellerreport/")
    page.get_by_role("link", name=stay.reference).first.click()
    images = page.locator(".field-photo_gallery img")
    expect(images).to_have_count(2)
    # Served to staff: its width once it has loaded (evaluated at once, it could still be loading).
    assert images.first.evaluate("""img => img.complete ? img.naturalWidth : new Promise(done => {
        img.addEventListener("load", () => done(img.naturalWidth), {once: true});
        img.addEventListener("error", () => done(0), {once: true}); })""") == 640
    page.get_by_label("Nouvelle note interne").fill("Photos nettes, dégâts certains.")
    page.get_by_label("Prendre en charge (en cours d'examen)").check()
    page.get_by_role("button", name="Enregistrer et continuer les modifications").click()
    expect(page.locator(".messagelist")).to_be_visible()
    page.get_by_label("Clore avec une décision").check()
    page.get_by_label("Signalement retenu").check()
    page.get_by_label("Décision motivée (envoyée au propriétaire par e-mail)").fill("Dégâts établis par les photos.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_be_visible()
    report = TravellerReport.objects.get()
    assert (report.status, report.decision) == (ReportStatus.CLOSED, ReportDecision.UPHELD)
    assert report.notes.get().author == staff

    page.context.clear_cookies()
    log_in(page, live_server, owner.email)
    page.goto(f"{live_server.url}/tableau-de-bord/signalements/{report.pk}/")
    expect(page.get_by_text("Dégâts établis par les photos.")).to_be_visible()
    expect(page.get_by_text("Photos nettes")).to_have_count(0)
