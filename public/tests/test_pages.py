import html as html_lib
import io
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from domains.models import DomainLabel, Label
from public.demo import seed
from public.models import ContactMessage, Page

from .factories import listed_unit, make_domain, make_experience, make_lodging, make_session, make_unit, stay

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def test_home_shows_published_domains_only(client, owner):
    make_domain(owner, name="Manoir de Kervoas")
    make_domain(owner, name="Château en brouillon", status="draft")
    html = client.get(reverse("home")).content.decode()
    assert "Manoir de Kervoas" in html and "Château en brouillon" not in html
    assert "Fondation Mérimée" in html


def test_domain_page_shows_story_verified_badges_and_published_offers(client, owner):
    domain = make_domain(owner, name="Prieuré de Vauclair", history="Fondé par des moines en 1134.",
                         monument_protection="inscrit", monument_verified=True)
    verified = Label.objects.create(name="Label des vieilles pierres", slug="vieilles-pierres")
    claimed = Label.objects.create(name="Réseau des toits d’ardoise", slug="toits-ardoise")
    DomainLabel.objects.create(domain=domain, label=verified, verified=True)
    DomainLabel.objects.create(domain=domain, label=claimed, verified=False)
    make_unit(make_lodging(domain, title="La Grange"), price="95")
    make_unit(make_lodging(domain, title="Le Fournil", status="rejected"))
    make_experience(domain, title="Atelier enluminure")
    make_experience(domain, title="Visite privée", status="submitted")
    html = client.get(reverse("domain_detail", args=[domain.slug])).content.decode()
    assert "Fondé par des moines en 1134." in html
    assert "Monument historique inscrit" in html and "Label des vieilles pierres" in html
    assert "Réseau des toits d’ardoise" not in html
    assert "La Grange" in html and "95" in html and "Le Fournil" not in html
    assert "Atelier enluminure" in html and "Visite privée" not in html
    assert 'property="og:title" content="Prieuré de Vauclair"' in html


def test_unverified_monument_claim_shows_no_badge(client, owner):
    domain = make_domain(owner, monument_protection="classe", monument_verified=False)
    assert "Monument historique classé" not in client.get(reverse("domain_detail", args=[domain.slug])).content.decode()


@pytest.mark.parametrize("status", ["draft", "submitted", "rejected"])
def test_unpublished_pages_are_404(client, owner, status):
    hidden_domain = make_domain(owner, status=status)
    assert client.get(reverse("domain_detail", args=[hidden_domain.slug])).status_code == 404
    domain = make_domain(owner)
    lodging = make_lodging(domain, status=status)
    make_unit(lodging)
    assert client.get(reverse("lodging_detail", args=[lodging.slug])).status_code == 404
    experience = make_experience(domain, status=status)
    assert client.get(reverse("experience_detail", args=[experience.slug])).status_code == 404
    # A published offer of an unpublished domain is hidden too.
    lodging_of_hidden = make_lodging(hidden_domain)
    assert client.get(reverse("lodging_detail", args=[lodging_of_hidden.slug])).status_code == 404


def test_lodging_page_shows_units_terms_and_a_server_side_breakdown(client, owner):
    unit = listed_unit(owner, price="150", cleaning_fee="50", full_refund_days=14, late_refund_percent=30,
                       house_rules="Pas de fête dans la chapelle.")
    url = reverse("lodging_detail", args=[unit.lodging.slug])
    html = client.get(url).content.decode()
    assert "150 € la nuit".replace(" €", "\u00a0€") in html
    assert "jusqu'à 14 jours avant l'arrivée" in html_lib.unescape(html) and "30 % du prix est remboursé" in html
    assert "Pas de fête dans la chapelle." in html
    assert reverse("api_unit_availability", args=[unit.pk]) in html
    html = client.get(url, {"arrivee": "2027-05-03", "depart": "2027-05-05", "chambre": unit.pk}).content.decode()
    assert "2 nuits × 150,00" in html and "350,00" in html
    assert reverse("booking_start", args=[unit.pk]) + "?arrival=2027-05-03&amp;departure=2027-05-05" in html


def test_lodging_page_with_bad_dates_says_so(client, owner):
    unit = listed_unit(owner)
    url = reverse("lodging_detail", args=[unit.lodging.slug])
    response = client.get(url, {"arrivee": "2027-05-05", "depart": "n'importe", "chambre": unit.pk})
    assert response.status_code == 200
    assert "Ces dates ne sont pas valables" in response.content.decode()


def test_experience_page_lists_upcoming_sessions_with_places_left(client, owner):
    experience = make_experience(make_domain(owner), title="Atelier vitrail", price="35", languages="fr,en",
                                 meeting_point="Cour d'honneur")
    make_session(experience, datetime(2027, 4, 10, 12, 0, tzinfo=UTC), capacity=8, taken=3)
    make_session(experience, datetime(2027, 3, 10, 12, 0, tzinfo=UTC))  # past
    html = client.get(reverse("experience_detail", args=[experience.slug])).content.decode()
    assert "samedi 10 avril 2027" in html and "mars" not in html.split("Prochaines séances")[1]
    assert "<td>5</td>" in html
    assert "35\u00a0€ par personne" in html and "Cour d&#x27;honneur" in html
    assert "français" in html.lower() and "anglais" in html.lower()


def test_content_pages_are_seeded_and_editable(client):
    faq = Page.objects.get(slug="faq-proprietaires")
    assert "Comment créer un compte?" in client.get(reverse("page_detail", args=["faq-proprietaires"])).content.decode()
    faq.body_fr = "## Nouvelle rubrique\n\nTexte <b>modifié</b> par l'équipe."
    faq.save()
    html = client.get(reverse("page_detail", args=["faq-proprietaires"])).content.decode()
    assert "<h2>Nouvelle rubrique</h2>" in html and "&lt;b&gt;modifié&lt;/b&gt;" in html
    for slug in ["qui-sommes-nous", "partenaires", "faq-voyageurs", "cgv", "contrat-proprietaire", "mentions-legales",
                 "confidentialite"]:
        assert client.get(reverse("page_detail", args=[slug])).status_code == 200


def test_partners_page_counts_nothing_for_confirmed_stays_not_happened_yet(client, owner, traveller):
    # Given only when the service ends, by the ledger (donations/tests/test_donations.py).
    unit = listed_unit(owner)
    stay(unit, traveller, date(2027, 5, 1), date(2027, 5, 3), donation="2.40")
    stay(unit, traveller, date(2027, 5, 3), date(2027, 5, 5), donation="3.10")
    html = client.get(reverse("page_detail", args=["partenaires"])).content.decode()
    assert '<p class="lead">0\u00a0€</p>' in html and "Fondation Mérimée</a> : 0,00\u00a0€" in html


def test_english_visitor_sees_english_pages(client, owner):
    with translation.override("en"):
        who, faq, terms = (reverse("page_detail", args=[slug]) for slug in ("qui-sommes-nous", "faq-proprietaires", "cgv"))
    html = client.get(who).content.decode()
    assert "Who we are" in html and 'lang="en"' in html
    assert "How do I create an account?" in client.get(faq).content.decode()
    Page.objects.filter(slug="cgv").update(body_en="")
    html = client.get(terms).content.decode()
    assert "only available in French" in html and "Réservation et paiement" in html


@pytest.mark.parametrize("subject,inbox", [("new_owner", "proprietaire@almaheritage.com"),
                                           ("double_booking", "reservation@almaheritage.com"),
                                           ("review_complaint", "avis@almaheritage.com"),
                                           ("traveller_report", "proprietaire@almaheritage.com")])
def test_contact_message_is_stored_and_routed_to_the_right_inbox(client, mailoutbox, subject, inbox,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("contact"), {"subject": subject, "name": "Lucie Bernard",
                                                    "email": "lucie@example.fr", "message": "Bonjour !"})
    assert response.status_code == 302
    message = ContactMessage.objects.get()
    assert message.routed_to == inbox and message.message == "Bonjour !"
    assert [m.to for m in mailoutbox] == [[inbox]]
    assert mailoutbox[0].reply_to == ["lucie@example.fr"]


def test_contact_form_errors_are_shown_not_sent(client, mailoutbox):
    response = client.post(reverse("contact"), {"subject": "nope", "name": "", "email": "pas-un-email"})
    assert response.status_code == 400
    assert ContactMessage.objects.count() == 0 and mailoutbox == []


def test_sitemap_lists_published_offers_only(client, owner):
    unit = listed_unit(owner)
    hidden = make_domain(owner, status="draft")
    xml = client.get("/sitemap.xml").content.decode()
    assert f"/fr/hebergements/{unit.lodging.slug}/" in xml and f"/fr/domaines/{unit.lodging.domain.slug}/" in xml
    assert f"/fr/domaines/{hidden.slug}/" not in xml
    assert "/fr/pages/cgv/" in xml and "example.com" not in xml


def test_robots_points_to_the_sitemap(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: " in body and "/sitemap.xml" in body and "Disallow: /fr/tableau-de-bord/" in body


def test_footer_links_to_the_content_pages(client):
    html = client.get(reverse("home")).content.decode()
    for slug in ["qui-sommes-nous", "partenaires", "cgv", "mentions-legales", "confidentialite", "faq-voyageurs"]:
        assert f"/fr/pages/{slug}/" in html


def test_demo_seeder_is_idempotent(db):
    Page.objects.all().delete()
    seed(stdout=io.StringIO())
    seed(stdout=io.StringIO())
    assert Page.objects.count() == 8


def test_decimal_coordinates_reach_the_map_fallback(client, owner):
    listed_unit(owner, domain=make_domain(owner, latitude=Decimal("48.1"), longitude=Decimal("-1.6")))
    html = client.get(reverse("search"), {"region": "centre-val-de-loire"}).content.decode()
    assert "<circle" in html and "leaflet" not in html.lower()


def test_map_uses_leaflet_from_our_static_files_only_when_tiles_are_configured(client, owner, settings):
    listed_unit(owner)
    settings.MAP_TILES_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    html = client.get(reverse("search"), {"region": "centre-val-de-loire"}).content.decode()
    assert "/static/vendor/leaflet/leaflet.js" in html and 'data-tiles="https://tiles.example.org/' in html
    assert 'class="static-map js-fallback"' in html  # still there until the map is drawn
    assert "unpkg" not in html and "cdn" not in html.lower()


def test_staff_find_pages_and_contact_messages_in_admin(client, staff):
    ContactMessage.objects.create(subject="other", name="Jean", email="jean@example.fr", message="Bonjour",
                                  routed_to="proprietaire@almaheritage.com")
    client.force_login(staff)
    assert client.get(reverse("admin:public_page_changelist")).status_code == 200
    page = Page.objects.get(slug="cgv")
    assert client.get(reverse("admin:public_page_change", args=[page.pk])).status_code == 200
    assert "jean@example.fr" in client.get(reverse("admin:public_contactmessage_changelist")).content.decode()


def test_static_map_coordinates_are_valid_svg_in_french(client, owner):
    listed_unit(owner, domain=make_domain(owner, latitude=Decimal("47.123456"), longitude=Decimal("0.654321")))
    listed_unit(owner, domain=make_domain(owner, latitude=Decimal("48.5"), longitude=Decimal("2.25")))
    html = client.get(reverse("search"), {"region": "centre-val-de-loire"}).content.decode()
    coordinates = re.findall(r'c[xy]="([^"]+)"', html)
    assert len(coordinates) == 4 and all(re.fullmatch(r"\d+\.\d+", c) for c in coordinates)


@pytest.mark.parametrize("offers", [1, 4])
def test_domain_and_lodging_pages_run_a_fixed_number_of_queries(client, owner, offers,
                                                                 django_assert_max_num_queries):
    domain = make_domain(owner)
    lodging = make_lodging(domain)
    for i in range(offers):
        make_unit(lodging, price=str(90 + i))
        make_unit(make_lodging(domain))
        make_experience(domain)
    # One of each is the reviews' count and averages (reviews.selectors.public_page; no review
    # here, so no page of reviews is read).
    with django_assert_max_num_queries(8):
        assert client.get(reverse("domain_detail", args=[domain.slug])).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(reverse("lodging_detail", args=[lodging.slug])).status_code == 200


def test_page_titles_name_the_page_then_the_site(client, owner):
    domain = make_domain(owner, name="Manoir de Kervoas")
    html = client.get(reverse("domain_detail", args=[domain.slug])).content.decode()
    assert re.search(r"<title>Manoir de Kervoas · Alma Heritage</title>", html)
    home = client.get(reverse("home")).content.decode()
    title = re.search(r"<title>(.*?)</title>", home, re.S).group(1)
    assert "Alma Heritage" in title and "·Alma" not in title and not title.endswith(" · ")


def test_every_page_names_its_icon_and_favicon_ico_leads_to_it(client):
    html = client.get(reverse("home")).content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)"', html).group(1)
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == icon


def test_the_404_page_is_the_sites_own(client):
    response = client.get("/fr/domaines/ce-domaine-n-existe-pas/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<title>Page introuvable · Alma Heritage</title>" in html and reverse("search") in html


def test_the_500_page_is_the_sites_own_and_needs_no_database(client):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")  # what django.views.defaults.server_error renders, without a request
    assert "Une erreur est survenue" in html and "site.css" in html


def test_amenities_read_in_the_pages_language(client, owner):
    from lodgings.models import Amenity

    unit = listed_unit(owner)
    unit.lodging.amenities.add(Amenity.objects.get(code="piscine"), Amenity.objects.get(code="cheminee"))
    url = reverse("lodging_detail", args=[unit.lodging.slug])
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<li>Piscine</li>" in french and "<li>Cheminée</li>" in french
    english = client.get(url.replace("/fr/", "/en/", 1)).content.decode()
    assert "<li>Swimming pool</li>" in english and "<li>Fireplace</li>" in english and "Piscine" not in english
    search = client.get(reverse("search").replace("/fr/", "/en/", 1)).content.decode()
    assert "Swimming pool" in search and "Piscine" not in search


def _page_lengths(client, url: str, param: str, pattern: str) -> list[int]:
    """How many items each page of one list shows, following its « Page suivante » link."""
    lengths, query = [], {}
    while True:
        html = client.get(url, query).content.decode()
        lengths.append(len(re.findall(pattern, html)))
        following = re.search(rf'href="\?([^"#]*{param}=(\d+)[^"#]*)#[\w-]+" rel="next"', html)
        if not following:
            return lengths
        query = {param: following.group(2)}


def test_domain_page_shows_its_lodgings_and_experiences_by_pages_of_12(client, owner):
    """Issue 14: a domain with hundreds of offers took seconds to render whole."""
    domain = make_domain(owner)
    for n in range(14):
        make_unit(make_lodging(domain, title=f"Logis {n:02d}"))
    for n in range(3):
        make_experience(domain, title=f"Atelier {n}")
    url = reverse("domain_detail", args=[domain.slug])
    assert _page_lengths(client, url, "hebergements", r"<h3><a href=\"/fr/hebergements/") == [12, 2]
    second = client.get(url, {"hebergements": 2}).content.decode()
    assert "Logis 13" in second and "Logis 00" not in second and "Page 2 sur 2" in second
    assert second.count("Atelier ") >= 3  # the experiences keep their own page


def test_lodging_page_shows_rooms_by_pages_of_20_and_quotes_a_room_of_another_page(client, owner):
    domain = make_domain(owner)
    lodging = make_lodging(domain)
    units = [make_unit(lodging, name=f"Chambre {n:02d}") for n in range(23)]
    url = reverse("lodging_detail", args=[lodging.slug])
    assert _page_lengths(client, url, "chambres", r'<article class="unit card"') == [20, 3]
    last = units[-1]
    html = client.get(url, {"arrivee": "2027-06-10", "depart": "2027-06-12", "chambre": last.pk}).content.decode()
    assert "Du 10 juin au 12 juin 2027" in html or "10 juin" in html
    assert "Ces dates ne sont pas valables" not in html


def test_experience_page_shows_sessions_by_pages_of_20(client, owner):
    experience = make_experience(make_domain(owner))
    for day in range(1, 26):
        make_session(experience, start=datetime(2027, 4, 1, 9, tzinfo=UTC) + timedelta(days=day))
    url = reverse("experience_detail", args=[experience.slug])
    # The sessions table's rows (the booking box beside it lists the next few as well).
    assert _page_lengths(client, url, "seances", r'<tr><td>') == [20, 5]


@pytest.mark.parametrize("page", ["1", "2"])
def test_offer_pages_make_the_same_queries_for_30_offers_as_for_60(client, owner, page, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    domain = make_domain(owner)
    lodging = make_lodging(domain)

    def grow(count: int) -> None:
        for _ in range(count):
            make_unit(lodging)
            make_unit(make_lodging(domain))
            make_experience(domain)

    grow(30)
    urls = [(reverse("domain_detail", args=[domain.slug]), {"hebergements": page, "experiences": page}),
            (reverse("lodging_detail", args=[lodging.slug]), {"chambres": page})]
    counts = []
    for url, query in urls:
        with CaptureQueriesContext(connection) as seen:
            assert client.get(url, query).status_code == 200
        counts.append(len(seen))
    grow(30)
    for (url, query), count in zip(urls, counts, strict=True):
        with django_assert_num_queries(count):
            assert client.get(url, query).status_code == 200
