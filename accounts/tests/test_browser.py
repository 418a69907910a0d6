"""The owner's first steps in a real browser: sign up, confirm, log in, fill the profile,
then switch to English. axe-core checks each page on the way."""
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_owner_signs_up_confirms_logs_in_and_fills_profile(live_server, page, axe_check):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Proposer votre domaine").first.click()
    expect(page.get_by_role("heading", name="Proposer votre domaine")).to_be_visible()
    axe_check(page, context="sign-up")
    page.get_by_label("Courriel").fill("chatelaine@example.fr")
    page.get_by_label("Prénom").fill("Aliénor")
    page.get_by_label("Nom", exact=True).fill("de Brissac")
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_label("Mot de passe (confirmation)").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", name="Vérifiez votre adresse e-mail")).to_be_visible()
    axe_check(page, context="verification sent")

    link = re.search(r"https?://\S+/comptes/confirm-email/\S+", mail.outbox[-1].body).group(0)
    page.goto(live_server.url + re.sub(r"^https?://[^/]+", "", link))
    page.get_by_role("button").filter(has_text=re.compile("Confirmer")).click()
    page.goto(live_server.url + "/fr/comptes/logout/")
    page.get_by_role("main").get_by_role("button").click()

    page.goto(live_server.url + "/fr/comptes/login/")
    axe_check(page, context="login")
    expect(page.get_by_role("link", name="Mot de passe perdu ?")).to_be_visible()
    page.get_by_label("Courriel").fill("chatelaine@example.fr")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("heading", name="Ma fiche propriétaire")).to_be_visible()
    axe_check(page, context="profile")
    page.get_by_label("Téléphone").fill("06 71 93 90 08")
    page.get_by_label("Adresse", exact=True).fill("Château de Brissac")
    page.get_by_label("Code postal").fill("49320")
    page.get_by_label("Commune").fill("Brissac Loire Aubance")
    page.get_by_label("Description").fill("Sept étages d'histoire au bord de l'Aubance.")
    page.get_by_label("Channel manager", exact=True).select_option("ke_booking")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Votre fiche propriétaire est enregistrée.")).to_be_visible()
    expect(page.get_by_label("Commune")).to_have_value("Brissac Loire Aubance")
    user = User.objects.get(email="chatelaine@example.fr")
    assert user.phone == "+33671939008" and user.owner_profile.channel_manager == "ke_booking"

    page.get_by_role("link", name="Réservations").click()
    axe_check(page, context="dashboard bookings tab")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="Bookings")).to_be_visible()
    page.get_by_role("link", name="General").click()
    expect(page.get_by_role("heading", name="My owner profile")).to_be_visible()
    expect(page.get_by_label("Town")).to_have_value("Brissac Loire Aubance")
    axe_check(page, context="profile in English")
