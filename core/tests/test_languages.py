"""Language in the URL: every page under /fr/ or /en/, old addresses redirected permanently,
third-party addresses unmoved, the language switch a plain link (no per-visitor token, so an
anonymous page can be cached), emails linking to the recipient's language."""
import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from bookings import emails
from bookings.tests.dashboard_factories import make_booking, make_unit
from core.languages import page_urls, switch_links

pytestmark = pytest.mark.django_db


def test_pages_live_under_the_language_prefix():
    with translation.override("fr"):
        assert reverse("search") == "/fr/recherche/" and reverse("dashboard") == "/fr/tableau-de-bord/"
        assert reverse("account_login").startswith("/fr/comptes/")
    with translation.override("en"):
        assert reverse("search") == "/en/recherche/" and reverse("home") == "/en/"


def test_third_party_and_crawler_addresses_keep_their_place():
    with translation.override("en"):
        assert reverse("ical_export", args=["abc"]) == "/ical/abc.ics"
        assert reverse("stripe_webhook") == "/stripe/webhook/"
        assert reverse("robots_txt") == "/robots.txt"
        assert reverse("django.contrib.sitemaps.views.sitemap") == "/sitemap.xml"
        assert reverse("admin:index") == "/admin/"
        assert reverse("healthz") == "/healthz"


@pytest.mark.parametrize(("accept", "expected"), [("fr-FR,fr;q=0.9", "/fr/recherche/?region=bretagne"),
                                                  ("en-GB,en;q=0.8", "/en/recherche/?region=bretagne")])
def test_an_old_address_redirects_permanently_to_the_visitors_language(client, accept, expected):
    response = client.get("/recherche/?region=bretagne", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 301 and response["Location"] == expected
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]


def test_the_bare_domain_redirects_to_the_home_page_in_the_visitors_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 301 and response["Location"] == "/en/"
    assert client.get("/en/").status_code == 200


def test_an_old_address_posted_to_keeps_its_form(client):
    """308, not 301: the browser posts the same form again to the new address."""
    response = client.post("/contact/", {"name": "A"})
    assert response.status_code == 308 and response["Location"] == "/fr/contact/"


def test_a_signed_in_visitors_old_link_opens_in_their_account_language(client, traveller):
    traveller.language = "en"
    traveller.save(update_fields=["language"])
    client.force_login(traveller)
    response = client.get("/mes-voyages/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 301 and response["Location"] == "/en/mes-voyages/"


def test_an_unknown_address_is_still_a_404(client):
    assert client.get("/ceci-n-existe-pas/").status_code == 404


def test_the_language_switch_links_to_the_same_page_without_any_token(client):
    html = client.get("/fr/recherche/?region=bretagne&page=2").content.decode()
    assert ('<a href="/en/recherche/?region=bretagne&amp;page=2" hreflang="en" lang="en" '
            'class="language-switcher">English</a>') in html
    assert "csrfmiddlewaretoken" not in html and "csrftoken" not in client.cookies
    english = client.get("/en/recherche/").content.decode()
    assert '<a href="/fr/recherche/" hreflang="fr" lang="fr" class="language-switcher">Français</a>' in english
    assert '<html lang="en">' in english


def test_the_switch_on_the_login_page_carries_next_into_the_other_language():
    request = RequestFactory().get("/fr/comptes/login/", {"next": "/fr/mes-voyages/", "x": "1"})
    assert page_urls(request)["en"] == "/en/comptes/login/?next=%2Fen%2Fmes-voyages%2F&x=1"
    with translation.override("fr"):
        (link,) = switch_links(request)
    assert (link.code, link.name) == ("en", "English")


def test_login_required_sends_to_the_login_page_of_the_same_language(client):
    response = client.get("/en/mes-voyages/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/comptes/login/?next=/en/mes-voyages/")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_emails_link_to_the_recipients_language(owner, traveller, mailoutbox, language):
    traveller.language = language
    traveller.save(update_fields=["language"])
    booking = make_booking(traveller=traveller, unit=make_unit(owner), arrival="2027-05-10", total="200")
    with translation.override("fr" if language == "en" else "en"):  # whatever page triggered it
        emails.confirmed(booking)
    mail = next(mail for mail in mailoutbox if mail.to == [traveller.email])
    links = re.findall(r"https?://[^\s\"'<>]+", mail.body)
    site_links = [link for link in links if "/mes-voyages/" in link or "/paiement/" in link]
    assert site_links and all(f"/{language}/" in link for link in site_links), links
