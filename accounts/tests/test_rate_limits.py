"""Login rate limits as an attacker meets them: the admin login, a proxy in front, and an
attacker trying to lock a real person out. Test settings disable the limits; these enable them."""
import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from conftest import PASSWORD, totp_code

pytestmark = pytest.mark.django_db
LIMITS = {"login_failed": "10/m/ip,5/5m/key"}


@pytest.fixture(autouse=True)
def limits_on():
    cache.clear()
    with override_settings(ACCOUNT_RATE_LIMITS=LIMITS):
        yield
    cache.clear()


def site_login(client, email, password, **headers):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **headers)


def locked(response) -> bool:
    """The site login (also the admin's) says so in its form: allauth's message."""
    return response.status_code == 429 or "trop de tentatives" in response.content.decode().lower()


def test_admin_login_stops_guessing_after_the_site_logins_limit(client, staff):
    # /admin/login/ is the site login (accounts.views.admin_login): the same limits apply.
    login_url = client.get("/admin/login/?next=/admin/").url
    assert login_url.startswith(reverse("account_login"))
    for n in range(5):
        assert not locked(client.post(login_url, {"login": staff.email, "password": f"wrong-{n}"}))
    assert locked(client.post(login_url, {"login": staff.email, "password": "wrong-6"}))
    # Then even the right password is refused for a while: guessing gains nothing.
    response = client.post(login_url, {"login": staff.email, "password": PASSWORD})
    assert locked(response) and "_auth_user_id" not in client.session


def test_admin_login_still_works_under_the_limit(client, staff):
    site_login(client, staff.email, "wrong")
    response = site_login(client, staff.email, PASSWORD)
    assert response.status_code == 302 and response.url == reverse("mfa_authenticate")  # then the code


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_each_client_has_its_own_limit(client, owner):
    # Every request comes from the proxy's address; the client is the last X-Forwarded-For hop.
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(10):
        site_login(client, f"nobody-{n}@example.fr", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
    assert locked(site_login(client, "nobody-x@example.fr", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy))
    # A spoofed left-hand hop changes nothing for the attacker…
    assert locked(site_login(client, "nobody-y@example.fr", "wrong",
                             HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9", **proxy))
    # …and the real user, elsewhere, logs in.
    response = site_login(client, owner.email, PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.44", **proxy)
    assert response.status_code == 302 and response.url == reverse("dashboard")


def test_without_a_trusted_proxy_the_header_is_ignored(client):
    for n in range(10):
        site_login(client, f"nobody-{n}@example.fr", "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert locked(site_login(client, "x@example.fr", "wrong", HTTP_X_FORWARDED_FOR="198.51.100.200"))


def test_an_attacker_cannot_lock_a_chosen_person_out(client, owner):
    attacker = {"REMOTE_ADDR": "203.0.113.66"}
    for n in range(6):
        site_login(client, owner.email, f"guess-{n}", **attacker)
    assert locked(site_login(client, owner.email, PASSWORD, **attacker))
    response = site_login(client, owner.email, PASSWORD, REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 302 and response.url == reverse("dashboard")


def test_guessing_the_second_factor_stops_after_five_codes(client, staff):
    site_login(client, staff.email, PASSWORD)
    for n in range(5):
        assert not locked(client.post(reverse("mfa_authenticate"), {"code": f"00000{n}"}))
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert locked(response) and "_auth_user_id" not in client.session
