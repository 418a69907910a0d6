"""« Mes données » and « Supprimer mon compte » in a real browser, each page checked by axe-core:
a traveller asks for her data, downloads the ZIP, then deletes her account."""
import json
import zipfile

import pytest
from playwright.sync_api import expect

from accounts.models import User
from bookings.tests.test_dashboard_browser import log_in
from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_traveller_downloads_her_data_then_deletes_her_account(live_server, page, axe_check, traveller, tmp_path):
    log_in(page, live_server, traveller.email)
    page.goto(live_server.url + "/mon-compte/")
    page.get_by_role("link", name="Mes données").click()
    expect(page.get_by_role("heading", name="Mes données")).to_be_visible()
    axe_check(page, context="Mes données, nothing asked yet")
    page.get_by_role("button", name="Demander mes données").click()
    # The worker runs at once in tests: the page comes back with the archive ready.
    expect(page.get_by_text("Votre archive est prête.")).to_be_visible()
    axe_check(page, context="Mes données, ready")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger mes données").click()
    path = tmp_path / "data.zip"
    download.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        assert json.loads(archive.read("data.json"))["profile"][0]["email"] == traveller.email

    page.get_by_role("link", name="Supprimer mon compte").first.click()
    axe_check(page, context="Supprimer mon compte")
    page.get_by_label("Mot de passe actuel").fill(PASSWORD)
    page.get_by_label("Je comprends").check()
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    expect(page.get_by_text("Votre compte est supprimé")).to_be_visible()
    traveller.refresh_from_db()
    assert traveller.deleted_at is not None and traveller.email.endswith("@deleted.invalid")
    page.goto(live_server.url + "/mon-compte/mes-donnees/")
    assert "/comptes/login/" in page.url or "connexion" in page.url
    assert not User.objects.filter(email="lucie@example.fr").exists()
