"""The review journey in a real browser, each page checked by axe-core: the traveller
reviews a finished stay, the owner answers it and complains about another review, staff
hide that one in admin, and the lodging's averages change."""
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bookings.tests.dashboard_factories import make_booking
from bookings.tests.test_dashboard_browser import log_in
from conftest import make_user, totp_code
from reviews import services
from reviews.models import ComplaintStatus, Review, ReviewStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_review_reply_complaint_and_hiding(live_server, page, axe_check, owner, traveller, staff, unit):
    today, now = timezone.localdate(), timezone.now()
    mine = make_booking(traveller=traveller, unit=unit, arrival=today - timedelta(days=12),
                        departure=today - timedelta(days=10))
    james = make_user("james@example.org", first_name="James", last_name="Carter")
    harsh = services.write_review(
        booking=make_booking(traveller=james, unit=unit, arrival=today - timedelta(days=20),
                             departure=today - timedelta(days=18)),
        author=james, ratings={"rating": 2, "cleanliness": 1, "welcome": 2, "heritage": 3, "value": 2},
        text="Propriétaire malhonnête <b>à fuir</b>.", now=now - timedelta(days=5))
    lodging_url = f"{live_server.url}/hebergements/{unit.lodging.slug}/"

    # The traveller, from "Mes voyages".
    log_in(page, live_server, traveller.email)
    page.goto(live_server.url + "/fr/mes-voyages/")
    page.get_by_role("link", name="Mes avis").click()
    page.get_by_role("link", name=f"Donner mon avis ({mine.reference})").click()
    expect(page.get_by_role("heading", name="Donner mon avis")).to_be_visible()
    axe_check(page, context="review form")
    for legend, value in (("Note globale", "4"), ("Propreté", "5"), ("Accueil", "5"), ("Intérêt patrimonial", "4"),
                          ("Rapport qualité-prix", "3")):
        page.get_by_role("group", name=legend).get_by_label(value, exact=True).check()
    page.get_by_label("Votre avis").fill("Un séjour magnifique.\nLa chapelle vaut le détour.")
    page.get_by_role("button", name="Publier mon avis").click()
    expect(page.get_by_text("Merci ! Votre avis est publié.")).to_be_visible()
    expect(page.get_by_role("link", name=f"Modifier ({mine.reference})")).to_be_visible()
    axe_check(page, context="Mes avis")

    page.goto(lodging_url)
    expect(page.locator(".rating-summary")).to_have_text("3,0 / 5 · 2 avis")
    expect(page.get_by_text("Propriétaire malhonnête <b>à fuir</b>.")).to_be_visible()  # escaped, inert
    axe_check(page, context="lodging page with reviews")

    # The owner answers Lucie and complains about James.
    page.context.clear_cookies()
    log_in(page, live_server, owner.email)
    page.goto(live_server.url + "/fr/tableau-de-bord/avis/")
    axe_check(page, context="Avis tab")
    page.get_by_role("link", name=f"Répondre ({mine.reference})").click()
    page.get_by_role("textbox", name="Votre réponse publique").fill("Merci Lucie, à bientôt !")
    page.get_by_role("button", name="Publier ma réponse").click()
    expect(page.get_by_text("Votre réponse est publiée sous l'avis.")).to_be_visible()
    axe_check(page, context="review detail")

    page.get_by_role("link", name="← Avis").click()
    page.get_by_role("link", name=f"Répondre ({harsh.booking.reference})").click()
    page.get_by_role("combobox", name="Motif").select_option("false_facts")
    page.get_by_role("textbox", name="Explication").fill("Ce voyageur n'a jamais signalé de problème pendant son séjour.")
    page.get_by_role("button", name="Envoyer la réclamation").click()
    expect(page.get_by_text("Votre réclamation est transmise à l'équipe")).to_be_visible()

    # Staff hide James's review from the complaint queue.
    page.context.clear_cookies()
    log_in(page, live_server, staff.email)
    page.get_by_label("Code").fill(totp_code())  # the admin's second factor
    page.get_by_role("button", name="Connexion").click()
    page.goto(live_server.url + "/admin/reviews/reviewcomplaint/")
    page.get_by_role("link", name=harsh.booking.reference).first.click()
    page.get_by_label("Masquer l'avis").check()
    page.get_by_label("Motif (envoyé au propriétaire et au voyageur)").fill("Accusation sans fondement.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_be_visible()
    harsh.refresh_from_db()
    assert harsh.status == ReviewStatus.HIDDEN and harsh.complaint.status == ComplaintStatus.HIDDEN

    page.goto(lodging_url)
    expect(page.locator(".rating-summary")).to_have_text("4,0 / 5 · 1 avis")
    expect(page.get_by_text("Merci Lucie, à bientôt !")).to_be_visible()
    expect(page.get_by_text("Propriétaire malhonnête")).to_have_count(0)
    assert Review.objects.get(booking=mine).reply == "Merci Lucie, à bientôt !"
