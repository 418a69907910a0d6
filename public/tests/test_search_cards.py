"""The search page's markup written from Python (public/cardhtml.py, geo/maphtml.py,
public/formhtml.py) and the frame parts rendered once (core/templatetags/renderedonce.py),
read as a traveller reads the page."""
import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from domains.models import Label

from .factories import listed_unit, make_domain, make_experience, make_session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
REGION = "centre-val-de-loire"


def search(client, language="fr", **params):
    params = {"region": REGION, "arrival": "2027-05-03", "departure": "2027-05-05", "guests": "2", **params}
    with translation.override(language):
        path = reverse("search")
    return client.get(path, params).content.decode()


def cards(html: str) -> str:
    return html.split('<ol class="result-list">', 1)[1].split("</ol>", 1)[0]


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_stay_card_shows_the_total_for_the_dates_in_each_language(client, owner):
    unit = listed_unit(owner, price="120", title="La Tour du Guet")  # cleaning fee 40 €

    french, english = text(cards(search(client))), text(cards(search(client, "en")))

    assert "La Tour du Guet" in french
    assert "280 € pour 2 nuits" in french and "120 € la nuit ; total ménage compris, hors taxe de séjour" in french
    assert "2 voyageurs" in french
    assert "280 € for 2 nights" in english and "120 € a night; total including cleaning, excluding tourist tax" in english
    assert "2 guests" in english
    with translation.override("fr"):
        page = reverse("lodging_detail", args=[unit.lodging.slug])
    link = f'{page}?arrivee=2027-05-03&amp;depart=2027-05-05&amp;chambre={unit.pk}'
    assert f'href="{link}"' in cards(search(client))


def test_without_dates_a_card_shows_the_price_from(client, owner):
    listed_unit(owner, price="95.50")

    assert "à partir de 95,50 € la nuit" in text(cards(search(client, arrival="", departure="")))
    assert "from 95.50 € a night" in text(cards(search(client, "en", arrival="", departure="")))


def test_names_written_by_owners_are_escaped_in_cards_and_on_the_map(client, owner):
    domain = make_domain(owner, name='Le <b>Fort</b> & "Tours"')
    listed_unit(owner, domain=domain, title="<script>alert(1)</script>")

    html = search(client)

    assert "<script>alert(1)" not in html and "<b>Fort</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in cards(html)
    assert "Le &lt;b&gt;Fort&lt;/b&gt; &amp; &quot;Tours&quot;" in cards(html)
    figure = html.split('<figure class="geo-map">', 1)[1].split("</figure>", 1)[0]
    assert 'aria-label="&lt;script&gt;alert(1)&lt;/script&gt; – Le &lt;b&gt;Fort&lt;/b&gt;' in figure


def test_an_english_page_marks_a_french_only_title(client, owner):
    listed_unit(owner, title="Le Pigeonnier")
    listed_unit(owner, title="La Grange", title_en="The Barn")

    english = cards(search(client, "en"))

    assert '<h3 lang="fr"><a' in english and ">Le Pigeonnier</a>" in english
    assert ">The Barn</a>" in english and "La Grange" not in english


def test_an_experience_card_shows_its_next_session_in_paris_time(client, owner):
    domain = make_domain(owner)
    experience = make_experience(domain, title="Atelier vitrail", price="35", duration_minutes=90)
    make_session(experience, datetime(2027, 5, 3, 13, 30, tzinfo=UTC))  # 15:30 in Paris (summer time)

    french = text(cards(search(client, kind="experience", arrival="", departure="")))
    english = text(cards(search(client, "en", kind="experience", arrival="", departure="")))

    assert "Atelier vitrail" in french and "90 min" in french and "35 € par personne" in french
    assert "Prochaine séance : lundi 3 mai, 15:30" in french
    assert "Next session : Monday 3 May, 15:30" in english


def test_nearby_offers_make_one_cluster_whose_label_counts_them(client, owner):
    for title in ("La Tour", "Le Moulin"):
        listed_unit(owner, title=title, domain=make_domain(owner, name=f"Domaine de {title}"))

    html = search(client)
    english = search(client, "en")

    assert re.search(r'aria-label="2 offres : [^"]*La Tour[^"]*" class="map-pin map-cluster"', html)
    assert re.search(r'aria-label="2 offers: [^"]*" class="map-pin map-cluster"', english)
    assert '<script id="results-map-points" type="application/json">' in html


def test_an_overseas_offer_is_named_under_the_map(client, owner):
    listed_unit(owner, title="Case créole", domain=make_domain(owner, region="la-reunion", departement="974",
                                                               latitude=Decimal("-21.11"), longitude=Decimal("55.53")))
    listed_unit(owner, title="La Tour")

    html = search(client, region="")

    caption = html.split("<figcaption>", 1)[1].split("</figcaption>", 1)[0]
    assert caption.startswith("Outre-mer, hors de la carte :") and "Case créole" in caption
    english = search(client, "en", region="").split("<figcaption>", 1)[1]
    assert english.startswith("Overseas, outside the map:")


def test_the_footer_follows_the_language_and_the_menu_the_visitor(client, traveller):
    french, english = search(client), search(client, "en")
    assert "Qui sommes-nous ?" in french and "Qui sommes-nous ?" not in english
    assert "Connexion" in french

    client.force_login(traveller)
    logged_in = search(client)

    assert "Mes voyages" in logged_in and "Connexion" not in logged_in
    assert "Qui sommes-nous ?" in logged_in


def test_one_search_s_errors_and_choices_do_not_reach_the_next(client, owner):
    listed_unit(owner)
    wrong = client.get(reverse("search"), {"arrival": "2027-05-05", "departure": "2027-05-03", "price_min": "abc"})
    assert wrong.status_code == 400 and "has-error" in wrong.content.decode()

    html = search(client)

    assert "has-error" not in html and 'class="errorlist"' not in html
    assert 'name="departure" value="2027-05-05"' in html and 'name="price_min" value=""' in html


def test_a_new_label_appears_among_the_filters(client, owner):
    listed_unit(owner)
    before = search(client)
    # The filter choices are kept a minute by each process; a write forgets them in its own.
    Label.objects.create(slug="bastide-test", name="Bastide à tester", is_active=True)

    after = search(client)

    assert "Bastide à tester" not in before and 'value="bastide-test"' in after


def test_the_search_bar_speaks_the_page_s_language_and_keeps_what_was_searched(client, owner):
    listed_unit(owner)

    french = search(client, ou="Tours & <co>", region="", kind="experience", arrival="", departure="")
    english = search(client, "en")

    assert 'value="Tours &amp; &lt;co&gt;"' in french and "<co>" not in french
    assert 'name="kind" value="experience" checked' in french
    assert 'data-t-count="%(n)s suggestions : flèches haut et bas pour choisir"' in french
    assert 'data-t-count="%(n)s suggestions: up and down arrows to choose"' in english
    assert '<label for="id_ou">Where</label>' in english and ">Apply the filters</button>" in english
    assert 'name="kind" value="stay" checked' in english


def test_each_search_s_filters_show_its_own_choices_when_kept(client, owner):
    listed_unit(owner)
    Label.objects.create(slug="moulin-test", name="Moulin à tester", is_active=True)
    cache.clear()
    for _round in range(2):  # the second round is served from the kept markup
        chosen = search(client, label="moulin-test", price_max="300", instant="on")
        plain = search(client)
        english = search(client, "en", label="moulin-test")
        assert re.search(r'value="moulin-test" id="id_label_\d+" checked', chosen) and 'name="price_max" value="300"' in chosen
        assert 'name="instant" id="id_instant" checked' in chosen and '<span class="badge">3</span>' in chosen
        assert re.search(r'value="moulin-test" id="id_label_\d+">', plain) and 'name="price_max" value=""' in plain
        assert 'class="badge"' not in plain
        assert ">Apply the filters</button>" in english
        assert re.search(r'value="moulin-test" id="id_label_\d+" checked', english)
