import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import OwnerProfile
from conftest import PASSWORD

User = get_user_model()
pytestmark = pytest.mark.django_db
LINK = re.compile(r"https?://[^\s]+/comptes/[^\s]+")


def signup(client, url, email="neo@example.fr", **extra):
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD,
            "first_name": "Néo", "last_name": "Martin", **extra}
    return client.post(url, data)


def test_owner_signup_creates_owner_and_sends_confirmation(client, mailoutbox):
    response = signup(client, reverse("owner_signup"), account_type="owner")
    assert response.status_code == 302
    user = User.objects.get(email="neo@example.fr")
    assert OwnerProfile.objects.filter(user=user).exists()
    assert (user.first_name, user.last_name) == ("Néo", "Martin")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["neo@example.fr"]
    assert LINK.search(mailoutbox[0].body)


def test_account_emails_name_the_platform_not_example_com(client, mailoutbox):
    signup(client, reverse("owner_signup"), account_type="owner")
    email = mailoutbox[0]
    assert "example.com" not in email.subject + email.body
    assert "Alma Heritage" in email.subject + email.body


def test_traveller_signup_is_not_an_owner(client, mailoutbox):
    signup(client, reverse("account_signup"), account_type="traveller")
    user = User.objects.get(email="neo@example.fr")
    assert not user.is_owner


def test_login_refused_until_email_confirmed_then_confirmation_logs_in(client, mailoutbox):
    signup(client, reverse("owner_signup"), account_type="owner")
    response = client.post(reverse("account_login"), {"login": "neo@example.fr", "password": PASSWORD})
    assert response.status_code == 302 and "confirm" in response.url  # verification page, not logged in
    assert "_auth_user_id" not in client.session
    link = LINK.search(mailoutbox[-1].body).group(0)
    path = link.split("127.0.0.1:8000")[-1] if "127.0.0.1:8000" in link else re.sub(r"^https?://[^/]+", "", link)
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 302 and response.url == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_signup_errors_are_shown_in_french(client):
    response = client.post(reverse("owner_signup"), {"email": "pas-un-email", "password1": "a", "password2": "b",
                                                      "first_name": "", "last_name": "", "account_type": "owner"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Saisissez une adresse de courriel valide" in content
    assert "Ce champ est obligatoire" in content
    assert not User.objects.exists()


def test_owner_login_lands_on_dashboard(client, owner):
    response = client.post(reverse("account_login"), {"login": owner.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("dashboard")


def test_wrong_password_shows_error(client, owner):
    response = client.post(reverse("account_login"), {"login": owner.email, "password": "faux"})
    assert response.status_code == 200
    assert "ne sont pas corrects" in response.content.decode() or "incorrect" in response.content.decode()


def test_login_page_offers_lost_password(client):
    content = client.get(reverse("account_login")).content.decode()
    assert "Mot de passe perdu ?" in content and reverse("account_reset_password") in content


def test_password_reset_by_email(client, owner, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": owner.email})
    assert len(mailoutbox) == 1
    link = LINK.search(mailoutbox[0].body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)
    response = client.get(path, follow=True)
    form_path = response.redirect_chain[-1][0] if response.redirect_chain else path
    response = client.post(form_path, {"password1": "Nouveau-secret-2026", "password2": "Nouveau-secret-2026"})
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("Nouveau-secret-2026")


def test_password_change(owner_client, owner):
    response = owner_client.post(reverse("account_change_password"), {
        "oldpassword": PASSWORD, "password1": "Encore-un-secret-77", "password2": "Encore-un-secret-77"})
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("Encore-un-secret-77")


def test_password_change_rejects_wrong_current_password(owner_client, owner):
    response = owner_client.post(reverse("account_change_password"), {
        "oldpassword": "faux", "password1": "Encore-un-secret-77", "password2": "Encore-un-secret-77"})
    assert response.status_code == 200
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_anonymous_dashboard_redirects_to_login(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_traveller_is_offered_to_become_owner(client, traveller):
    client.force_login(traveller)
    assert client.get(reverse("dashboard")).url == reverse("become_owner")
    client.post(reverse("become_owner"))
    traveller.refresh_from_db()
    assert traveller.is_owner


@pytest.mark.parametrize("name", ["dashboard", "dashboard_domains", "dashboard_bookings", "dashboard_clients",
                                  "dashboard_reviews", "dashboard_payments", "account_details",
                                  "billing_address", "stripe_connect", "account_delete", "account_change_password"])
def test_every_dashboard_and_account_tab_is_reachable(owner_client, name):
    response = owner_client.get(reverse(name))
    assert response.status_code == 200
    assert 'aria-current="page"' in response.content.decode()


def test_language_switch_is_a_link_that_translates_the_dashboard_and_the_emails(owner_client, owner):
    french = reverse("dashboard")
    page = owner_client.get(french).content.decode()
    switch = re.search(r'<a href="([^"]+)" hreflang="en" lang="en" class="language-switcher">English</a>', page)
    assert switch and switch.group(1) == "/en/tableau-de-bord/"
    content = owner_client.get(switch.group(1), HTTP_REFERER=f"http://testserver{french}").content.decode()
    assert "Bookings" in content and "Réservations" not in content
    owner.refresh_from_db()
    assert owner.language == "en"  # the account's emails follow the switch, as with the old form


def test_an_english_link_opened_from_an_email_does_not_change_the_email_language(owner_client, owner):
    owner_client.get("/en/tableau-de-bord/")  # no Referer: a link from a mail client or a bookmark
    owner.refresh_from_db()
    assert owner.language == "fr"


def test_account_deletion_erases_personal_data_and_logs_out(owner_client, owner):
    response = owner_client.post(reverse("account_delete"), {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    owner.refresh_from_db()
    assert not owner.is_active and owner.deleted_at is not None
    assert owner.email.endswith("@deleted.invalid") and owner.first_name == "" and owner.phone == ""
    assert owner.owner_profile.address_line1 == ""
    assert "_auth_user_id" not in owner_client.session


def test_account_deletion_needs_the_password(owner_client, owner):
    response = owner_client.post(reverse("account_delete"), {"password": "faux", "confirm": "on"})
    assert response.status_code == 200 and "Mot de passe incorrect" in response.content.decode()
    owner.refresh_from_db()
    assert owner.is_active
