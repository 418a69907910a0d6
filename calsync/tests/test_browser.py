"""An owner pastes a feed and clicks "Enregistrer & Synchroniser" in a real browser."""
import pytest
from playwright.sync_api import expect

from bookings.models import ExternalBlock
from calsync.models import UnitCalendar
from conftest import PASSWORD

from .conftest import ics

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_adds_a_feed_syncs_it_and_sees_it_on_the_domain_calendar(
        live_server, page, axe_check, owner, unit, httpserver, allow_loopback):
    httpserver.expect_request("/airbnb.ics").respond_with_data(
        ics(("20270105", "20270109", "a@airbnb.com"), ("20270201", "20270203", "b@airbnb.com")),
        content_type="text/calendar")
    page.goto(f"{live_server.url}/tableau-de-bord/unites/{unit.pk}/ical/")
    page.get_by_label("Courriel").fill(owner.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("heading", name="Configuration iCal")).to_be_visible()
    axe_check(page, context="Configuration iCal, empty")
    page.get_by_text("Ajouter", exact=True).click()
    page.get_by_label("Plateforme").select_option("airbnb")
    page.get_by_label("Lien iCal", exact=True).fill(httpserver.url_for("/airbnb.ics"))
    page.get_by_role("button", name="Enregistrer & Synchroniser").click()

    expect(page.get_by_text("2 événement(s) lu(s), 6 nuit(s) bloquée(s)")).to_be_visible()
    expect(page.get_by_role("cell", name="Airbnb").first).to_be_visible()
    expect(page.get_by_text("À jour", exact=True)).to_be_visible()
    assert ExternalBlock.objects.filter(unit=unit).count() == 2
    axe_check(page, context="Configuration iCal, one feed")

    token = UnitCalendar.objects.get(unit=unit).token
    expect(page.get_by_label("Lien iCal de cette unité")).to_have_value(f"{live_server.url}/ical/{token}.ics")
    page.get_by_role("button", name="Copier le lien").click()
    expect(page.get_by_text("Copié !")).to_be_visible()
    page.get_by_role("button", name="Régénérer le lien").click()
    expect(page.get_by_text("L'ancien ne fonctionne plus")).to_be_visible()
    assert UnitCalendar.objects.get(unit=unit).token != token

    page.goto(f"{live_server.url}/tableau-de-bord/domaines/{unit.lodging.domain_id}/calendrier/?mois=2027-01")
    expect(page.get_by_role("cell", name="externe").first).to_be_visible()
    axe_check(page, context="domain calendar")
