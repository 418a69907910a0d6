"""What search engines and link previews read on each public page: canonical URL (with its
page number), hreflang alternates, Open Graph / Twitter tags, JSON-LD that parses, meta
descriptions taken from the offer's own text; the sitemap's alternates; English offer texts."""
import json
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from public.models import Page

from .factories import make_domain, make_experience, make_lodging, make_session, make_unit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


class Head(HTMLParser):
    """The <head>'s meta and link tags, and every JSON-LD block's text."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.links: list[dict] = []
        self.json_ld: list[str] = []
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, []).append(attrs.get("content", ""))
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld[-1] += data

    def one(self, key: str) -> str:
        values = self.meta.get(key, [])
        assert len(values) == 1, f"{key}: {values}"
        return values[0]

    def canonical(self) -> str:
        (link,) = [link for link in self.links if link.get("rel") == "canonical"]
        return link["href"]

    def alternates(self) -> dict[str, str]:
        return {link["hreflang"]: link["href"] for link in self.links if link.get("rel") == "alternate"}

    def schema(self) -> list[dict]:
        return [json.loads(text) for text in self.json_ld]


def head_of(client, url: str) -> Head:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = Head()
    parser.feed(response.content.decode())
    return parser


def url_in(language: str, name: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def assert_complete_head(head: Head, path: str, language: str = "fr"):
    """Every public page: description, canonical, hreflang fr/en/x-default, og and twitter."""
    site = settings.SITE_URL
    assert head.one("description")
    assert head.canonical() == site + path
    other = "en" if language == "fr" else "fr"
    twin = f"/{other}/" + path.split("/", 2)[2]
    assert head.alternates() == {language: site + path, other: site + twin, "x-default": site + "/" + path.split("/", 2)[2]}
    assert head.one("og:url") == site + path
    assert head.one("og:locale") == {"fr": "fr_FR", "en": "en_GB"}[language]
    assert head.one("og:image").startswith(site + "/")
    for key in ("og:title", "og:description", "og:type", "twitter:title", "twitter:description", "twitter:image"):
        assert head.one(key), key
    assert head.one("twitter:card") == "summary_large_image"


def test_lodging_page_has_product_with_offers_and_breadcrumbs(client, owner):
    domain = make_domain(owner, name="Prieuré de Vauclair", commune="Amboise", postal_code="37400")
    lodging = make_lodging(domain, title="La Grange", description="## Le lieu\n\n" + "Une grange du XVIIe siècle, "
                           "restaurée avec des artisans du pays, au bord d'un étang. " * 4)
    make_unit(lodging, price="95")
    make_unit(lodging, price="140.50")
    path = url_in("fr", "lodging_detail", lodging.slug)
    head = head_of(client, path)
    assert_complete_head(head, path)
    description = head.one("description")
    assert description.startswith("Gîte (le lieu entier) · Prieuré de Vauclair, Amboise — Une grange du XVIIe")
    assert "##" not in description and len(description) <= 160 and description.endswith("…")
    product, breadcrumbs = head.schema()
    assert product["@type"] == "Product" and product["name"] == "La Grange"
    assert product["offers"] == {"@type": "AggregateOffer", "priceCurrency": "EUR", "lowPrice": "95.00",
                                 "highPrice": "140.50", "offerCount": 2, "url": settings.SITE_URL + path,
                                 "availability": "https://schema.org/InStock", "unitText": "la nuit"}
    assert [item["name"] for item in breadcrumbs["itemListElement"]] == ["Accueil", "Prieuré de Vauclair",
                                                                          "La Grange"]
    assert breadcrumbs["itemListElement"][1]["item"] == settings.SITE_URL + url_in("fr", "domain_detail", domain.slug)


def test_domain_page_is_a_lodging_business_with_its_address(client, owner):
    domain = make_domain(owner, name="Manoir de Kervoas", commune="Sizun", postal_code="29450", region="bretagne",
                         history="Un manoir du XVe siècle au cœur des monts d'Arrée.")
    make_unit(make_lodging(domain), price="80")
    path = url_in("en", "domain_detail", domain.slug)
    head = head_of(client, path)
    assert_complete_head(head, path, language="en")
    place, _breadcrumbs = head.schema()
    assert place["@type"] == "LodgingBusiness" and place["name"] == "Manoir de Kervoas"
    assert place["address"]["postalCode"] == "29450" and place["address"]["addressLocality"] == "Sizun"
    assert place["geo"] == {"@type": "GeoCoordinates", "latitude": 47.41, "longitude": 0.98}
    assert place["priceRange"] == "80.00–80.00 EUR"


def test_experience_page_lists_each_session_as_an_event(client, owner):
    experience = make_experience(make_domain(owner, name="Abbaye de Noirlac"), title="Atelier enluminure",
                                 price="45", description="Feuille d'or et pigments.")
    make_session(experience, datetime(2027, 4, 10, 8, 0, tzinfo=UTC))
    make_session(experience, datetime(2027, 4, 17, 8, 0, tzinfo=UTC), capacity=4, taken=4)
    path = url_in("fr", "experience_detail", experience.slug)
    head = head_of(client, path)
    assert_complete_head(head, path)
    *events, breadcrumbs = head.schema()
    assert [event["@type"] for event in events] == ["Event", "Event"]
    assert events[0]["startDate"] == "2027-04-10T08:00:00+00:00"
    assert events[0]["location"]["name"] == "Abbaye de Noirlac"
    assert events[0]["offers"]["price"] == "45.00" and events[0]["offers"]["priceCurrency"] == "EUR"
    assert [event["offers"]["availability"] for event in events] == ["https://schema.org/InStock",
                                                                     "https://schema.org/SoldOut"]
    assert breadcrumbs["@type"] == "BreadcrumbList"


def test_home_search_pages_contact_help_and_vouchers_have_a_complete_head(client):
    Page.objects.update_or_create(slug="qui-sommes-nous", defaults={
        "title_fr": "Qui sommes-nous ?", "title_en": "Who we are", "meta_description_fr": "L'agence et sa plateforme."})
    for language in ("fr", "en"):
        for name, args in (("home", ()), ("search", ()), ("contact", ()), ("traveller_help", ()),
                           ("voucher_offer", ()), ("page_detail", ("qui-sommes-nous",))):
            path = url_in(language, name, *args)
            head = head_of(client, path)
            assert_complete_head(head, path, language)
            for block in head.schema():
                assert block["@context"] == "https://schema.org"
    assert head_of(client, url_in("fr", "home")).schema()[0]["@type"] == "WebSite"


def test_canonical_keeps_the_page_number_and_drops_other_parameters(client, owner):
    lodging = make_lodging(make_domain(owner))
    make_unit(lodging)
    path = url_in("fr", "lodging_detail", lodging.slug)
    head = head_of(client, path + "?avis=2&arrivee=2027-05-01&utm_source=x")
    assert head.canonical() == settings.SITE_URL + path + "?avis=2"
    assert head.alternates()["en"] == settings.SITE_URL + url_in("en", "lodging_detail", lodging.slug) + "?avis=2"
    assert head_of(client, path + "?avis=1").canonical() == settings.SITE_URL + path
    search = url_in("fr", "search")
    head = head_of(client, search + "?region=bretagne&arrival=2027-05-01&departure=2027-05-03&page=3")
    assert head.canonical() == settings.SITE_URL + search + "?page=3&region=bretagne"


def test_json_ld_cannot_be_closed_by_an_offer_text(client, owner):
    """An owner's text with "</script>" stays inside the JSON: the block parses back to it."""
    hostile = 'Salle "voûtée" </script><script>alert(1)</script> & cave'
    lodging = make_lodging(make_domain(owner), title="Le </script> Logis", description=hostile)
    make_unit(lodging)
    html = client.get(url_in("fr", "lodging_detail", lodging.slug)).content.decode()
    assert "<script>alert(1)" not in html
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    product = json.loads(blocks[0])
    assert product["name"] == "Le </script> Logis"
    assert "</script><script>alert(1)</script> & cave" in product["description"]


def test_sitemap_lists_both_languages_with_alternates(client, owner):
    lodging = make_lodging(make_domain(owner))
    make_unit(lodging)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    entries = {url.findtext("s:loc", namespaces=ns): {link.get("hreflang"): link.get("href")
                                                      for link in url.findall("x:link", ns)}
               for url in root.findall("s:url", ns)}
    french = settings.SITE_URL + url_in("fr", "lodging_detail", lodging.slug)
    english = settings.SITE_URL + url_in("en", "lodging_detail", lodging.slug)
    unprefixed = settings.SITE_URL + url_in("fr", "lodging_detail", lodging.slug)[3:]
    assert entries[french] == entries[english] == {"fr": french, "en": english, "x-default": unprefixed}
    assert settings.SITE_URL + "/fr/" in entries and settings.SITE_URL + "/en/" in entries


def test_robots_txt_keeps_private_pages_out_in_both_languages(client):
    text = client.get("/robots.txt").content.decode()
    for path in ("/fr/tableau-de-bord/", "/en/tableau-de-bord/", "/fr/comptes/", "/en/mes-voyages/", "/admin/"):
        assert f"Disallow: {path}\n" in text
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in text


# --- English offer texts -----------------------------------------------------------------

def test_english_page_shows_the_english_texts_when_given(client, owner):
    domain = make_domain(owner, history="Fondé en 1134.", history_en="Founded in 1134.")
    lodging = make_lodging(domain, title="La Grange", title_en="The Barn", description="Une grange.",
                           description_en="A barn.", house_rules="Pas de fête.", house_rules_en="No parties.")
    make_unit(lodging)
    html = client.get(url_in("en", "lodging_detail", lodging.slug)).content.decode()
    assert "<h1>The Barn</h1>" in html and "A barn." in html and "No parties." in html
    assert "Une grange." not in html and 'lang="fr"' not in html.split("<main", 1)[1].split("reviews", 1)[0]
    head = head_of(client, url_in("en", "lodging_detail", lodging.slug))
    assert head.one("og:title").startswith("The Barn") and "A barn." in head.one("description")
    french = client.get(url_in("fr", "lodging_detail", lodging.slug)).content.decode()
    assert "<h1>La Grange</h1>" in french and "Une grange." in french and "A barn." not in french
    domain_page = client.get(url_in("en", "domain_detail", domain.slug)).content.decode()
    assert "Founded in 1134." in domain_page and "The Barn" in domain_page


def test_english_page_marks_french_text_lang_fr_when_no_english_is_given(client, owner):
    experience = make_experience(make_domain(owner), title="Atelier vitrail", description="Coupez le verre.")
    html = client.get(url_in("en", "experience_detail", experience.slug)).content.decode()
    assert '<h1 lang="fr">Atelier vitrail</h1>' in html
    assert '<div lang="fr"><p>Coupez le verre.</p></div>' in html
    french = client.get(url_in("fr", "experience_detail", experience.slug)).content.decode()
    assert "<h1>Atelier vitrail</h1>" in french and '<div lang="fr">' not in french


def test_photo_captions_follow_the_page_language(client, owner):
    domain = make_domain(owner)
    domain.photos.create(full="photos/a.jpg", thumb="photos/a-t.jpg", card="photos/a-c.jpg",
                         caption="La façade", caption_en="The façade")
    domain.photos.create(full="photos/b.jpg", thumb="photos/b-t.jpg", card="photos/b-c.jpg", caption="Le parc")
    html = client.get(url_in("en", "domain_detail", domain.slug)).content.decode()
    # The mosaic's text alternatives and the gallery's captions (public/_gallery.html).
    assert 'alt="The façade" width' in html and 'data-caption="The façade"' in html
    assert 'alt="Le parc" lang="fr"' in html
    head = head_of(client, url_in("en", "domain_detail", domain.slug))
    first = domain.photos.order_by("position", "id").first()
    assert head.one("og:image") == settings.SITE_URL + first.full.url  # no social size yet: the full one
    assert head.one("og:image:alt") == "The façade"


def test_a_photo_being_resized_leaves_the_default_preview_image(client, owner):
    domain = make_domain(owner)
    domain.photos.create(full="photos/pending.jpg")  # the worker has not written its sizes yet
    head = head_of(client, url_in("fr", "domain_detail", domain.slug))
    assert head.one("og:image") == settings.SITE_URL + "/static/img/social-default.png"


def test_search_cards_show_the_english_title_or_the_french_one_marked(client, owner):
    domain = make_domain(owner, region="centre-val-de-loire")
    make_unit(make_lodging(domain, title="La Tour du Guet", title_en="The Watchtower"))
    make_unit(make_lodging(domain, title="Le Pigeonnier"))
    english = client.get(url_in("en", "search"), {"region": "centre-val-de-loire"}).content.decode()
    assert ">The Watchtower</a></h3>" in english and "La Tour du Guet" not in english
    assert '<h3 lang="fr"><a' in english and ">Le Pigeonnier</a>" in english
    french = client.get(url_in("fr", "search"), {"region": "centre-val-de-loire"}).content.decode()
    assert ">La Tour du Guet</a></h3>" in french and "The Watchtower" not in french
