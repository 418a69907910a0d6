"""A new staff member's first visit to the admin in a real browser, each page checked by axe-core:
login, sent to set up an authenticator app, password again, code, recovery codes, then the admin;
the next login asks for the code."""
import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, make_user, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_staff_member_sets_up_totp_before_the_admin(live_server, page, axe_check):
    staff = make_user("nouvelle@example.fr", is_staff=True, is_superuser=True)
    page.goto(live_server.url + "/admin/")
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()  # the site's login, not Django's
    page.get_by_label("Courriel").fill(staff.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    # Sent to the setup, through allauth's password confirmation.
    expect(page.get_by_text("L'administration demande la double authentification")).to_be_visible()
    page.get_by_label("Mot de passe").fill(PASSWORD)
    axe_check(page, context="reauthenticate")
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_role("heading", name="Activer l'application d'authentification")).to_be_visible()
    axe_check(page, context="TOTP activation")
    secret = page.locator("#authenticator_secret").input_value()
    page.get_by_label("Code de l'authentificateur").fill(totp_code(secret))
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_role("heading", name="Codes de récupération")).to_be_visible()
    axe_check(page, context="recovery codes")

    page.goto(live_server.url + "/fr/mon-compte/")
    page.get_by_role("link", name="Double authentification").click()
    expect(page.get_by_text("L'authentification à l'aide d'une application d'authentification est active.")).to_be_visible()
    axe_check(page, context="Mon compte > Double authentification")
    page.goto(live_server.url + "/admin/")
    expect(page.get_by_role("heading", name="Tableau de bord de l'équipe")).to_be_visible()

    page.context.clear_cookies()
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Courriel").fill(staff.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    axe_check(page, context="second factor at login")
    page.get_by_label("Code").fill(totp_code(secret, offset=1))
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", name="Tableau de bord de l'équipe")).to_be_visible()
