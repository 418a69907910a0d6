"""From a screen's « ? » to its answer, in a real browser, on a phone and on a desktop."""
import pytest
from playwright.sync_api import expect

from bookings.tests.test_dashboard_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_question_mark_opens_the_matching_answer(live_server, page, axe_check, owner, width):
    page.set_viewport_size({"width": width, "height": 844 if width == 390 else 900})
    log_in(page, live_server, owner.email)
    page.goto(live_server.url + "/fr/tableau-de-bord/reservations/")
    question = "Où puis-je voir l’état de mes réservations ?"
    help_link = page.get_by_role("link", name=f"Aide : {question}")
    expect(help_link).to_be_visible()
    help_link.click()
    expect(page).to_have_url(f"{live_server.url}/fr/tableau-de-bord/aide/#etat-des-reservations")
    answer = page.get_by_role("heading", name=question, level=3)
    expect(answer).to_be_in_viewport()
    expect(page.get_by_role("navigation", name="Tableau de bord").get_by_role("link", name="Aide")).to_have_attribute(
        "aria-current", "page")
    axe_check(page, context=f"owner help at {width} px")

    page.get_by_role("article").filter(has=answer).get_by_role("link", name="Réservations").click()
    expect(page.get_by_role("heading", name="Réservations", exact=True)).to_be_visible()


def test_traveller_help_from_the_footer(live_server, page, axe_check):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Aide aux voyageurs").click()
    expect(page.get_by_role("heading", name="Aide aux voyageurs", level=1)).to_be_visible()
    page.get_by_role("link", name="Suis-je remboursé si j’annule ?").click()
    expect(page.get_by_role("heading", name="Suis-je remboursé si j’annule ?", level=3)).to_be_in_viewport()
    axe_check(page, context="traveller help")
