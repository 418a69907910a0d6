"""The help pages: every answer's links lead to a screen that exists, every question of the
FAQ seed has its answer, the pages read in French and in English, and the "?" beside the
main screens' titles open an answer that is there."""
import re
import unicodedata
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from helpcentre import entries

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
SEED = ROOT / "public" / "seed"
# Headings of the owner FAQ that introduce others and have no answer of their own.
OWNER_FAQ_INTRO_HEADINGS = {"Qui sommes-nous?", "L’équipe", "Nos partenaires"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def in_english(client):
    # A cookie in the jar, not HTTP_COOKIE: that header would replace the session's cookie.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def all_entries(guide: str, language: str) -> list[entries.Entry]:
    return [entry for section in entries.sections(guide, language) for entry in section.entries]


def normalised(text: str) -> str:
    """Compare questions as words: accents, case, typographic spaces and apostrophes aside."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.sub(r"\s*([?!:])", r" \1", text.casefold()).split())


def anchors(html: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', html))


@pytest.mark.parametrize("guide", entries.GUIDES)
def test_french_and_english_give_the_same_answers_and_links(guide):
    french, english = entries.sections(guide, "fr"), entries.sections(guide, "en")
    assert [s.slug for s in french] == [s.slug for s in english]
    for fr, en in zip(all_entries(guide, "fr"), all_entries(guide, "en"), strict=True):
        assert (fr.slug, fr.section) == (en.slug, en.section)
        assert [(ln.url_name, ln.args, ln.query) for ln in fr.links] == [(ln.url_name, ln.args, ln.query)
                                                                        for ln in en.links], fr.slug
        assert len(fr.paragraphs) == len(en.paragraphs), fr.slug


def test_a_broken_content_file_is_refused(tmp_path):
    path = tmp_path / "owner.fr.txt"
    path.write_text("## Section {#s}\n### Question sans ancre\nTexte.\n", encoding="utf-8")
    with pytest.raises(entries.ContentError, match="anchor"):
        entries.parse(path)
    path.write_text("## Section {#s}\n### Q {#q}\n→ Lien seul\n", encoding="utf-8")
    with pytest.raises(entries.ContentError, match="link"):
        entries.parse(path)
    path.write_text("## Section {#s}\n### Q {#s}\nTexte.\n", encoding="utf-8")
    with pytest.raises(entries.ContentError, match="twice"):
        entries.parse(path)


@pytest.mark.parametrize(("seed", "guide", "intro"), [
    ("faq-proprietaires.fr.txt", "owner", OWNER_FAQ_INTRO_HEADINGS),
    ("faq-voyageurs.fr.txt", "traveller", set()),
])
def test_every_question_of_the_faq_has_an_answer(seed, guide, intro):
    headings = [line[4:].strip() for line in (SEED / seed).read_text(encoding="utf-8").splitlines()
                if line.startswith("### ")]
    assert intro <= set(headings), "an intro heading listed here left the FAQ: update the list"
    questions = {normalised(entry.question) for entry in all_entries(guide, "fr")}
    missing = [heading for heading in headings if heading not in intro and normalised(heading) not in questions]
    assert not missing, f"FAQ questions without a help entry: {missing}"


def follow(client, url: str) -> int:
    response = client.get(url, follow=True)
    return response.status_code


def test_every_owner_answer_links_to_a_screen_that_opens(owner_client, domain, lodging, unit):
    checked = set()
    for language in entries.LANGUAGES:
        for entry in all_entries("owner", language):
            for link in entry.links:
                url = link.url()  # NoReverseMatch fails the test: the URL name or its arguments changed
                if url in checked:
                    continue
                checked.add(url)
                response = owner_client.get(url, follow=True)
                assert response.status_code == 200, f"{entry.slug}: {link.label} → {url} gives {response.status_code}"
    assert len(checked) > 15


@pytest.mark.parametrize("who", ["anonymous", "traveller"])
def test_every_traveller_answer_links_to_a_screen_that_opens(client, traveller, who):
    if who == "traveller":
        client.force_login(traveller)
    for language in entries.LANGUAGES:
        for entry in all_entries("traveller", language):
            for link in entry.links:
                response = client.get(link.url(), follow=True)
                assert response.status_code == 200, f"{entry.slug}: {link.label} → {link.url()}"


def test_owner_help_is_for_owners(client, traveller):
    url = reverse("owner_help")
    assert client.get(url)["Location"].startswith(reverse("account_login"))
    client.force_login(traveller)
    assert client.get(url)["Location"] == reverse("become_owner")


def test_owner_help_lists_every_question_with_its_anchor_and_is_in_the_side_menu(owner_client):
    html = unescape(owner_client.get(reverse("owner_help")).content.decode())
    ids = anchors(html)
    for section in entries.sections("owner", "fr"):
        assert section.slug in ids and section.title in html
        for entry in section.entries:
            assert entry.slug in ids and f'href="#{entry.slug}"' in html and entry.question in html
    assert f'href="{reverse("owner_help")}" aria-current="page">Aide<' in html
    assert "Réclamation avis" in html and "Suspendre la visibilité" in html  # the self-service paths


@pytest.mark.parametrize(("url_name", "guide", "title"), [
    ("owner_help", "owner", "Owner help"), ("traveller_help", "traveller", "Traveller help")])
def test_help_reads_in_english_with_no_french_question_left(owner_client, url_name, guide, title):
    with translation.override("en"):
        url = reverse(url_name)  # /en/…
    html = unescape(in_english(owner_client).get(url, **ENGLISH).content.decode())
    assert f"<h1>{title}</h1>" in html and "Sommaire" not in html and "Contents" in html
    for fr, en in zip(all_entries(guide, "fr"), all_entries(guide, "en"), strict=True):
        assert en.question in html
        if fr.question != en.question:  # names such as « Fondation Mérimée » read the same
            assert fr.question not in html, f"untranslated question: {fr.question}"
        for paragraph in fr.paragraphs:
            assert paragraph not in html


def test_traveller_help_is_public_and_linked_from_the_footer(client):
    html = unescape(client.get(reverse("traveller_help")).content.decode())
    assert "<h1>Aide aux voyageurs</h1>" in html and 'id="remboursement"' in html
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("traveller_help")}"' in home


HELP_TAG = re.compile(r"""{%\s*help_link\s+"([^"]+)"(?:\s+"([^"]+)")?\s*%}""")


def test_every_help_link_in_the_templates_names_an_entry():
    used = []
    for path in ROOT.glob("*/templates/**/*.html"):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        for slug, guide in HELP_TAG.findall(path.read_text(encoding="utf-8")):
            used.append((path.name, slug, guide or "owner"))
    assert len(used) >= 10
    for name, slug, guide in used:
        for language in entries.LANGUAGES:
            assert slug in {e.slug for e in all_entries(guide, language)}, f"{name}: unknown help entry {slug!r}"


def main_screens(domain, lodging, unit) -> list[str]:
    return [reverse("dashboard_domains"), reverse("dashboard_bookings"), reverse("dashboard_clients"),
            reverse("dashboard_payments"), reverse("dashboard_reviews"), reverse("account_details"),
            reverse("calsync_unit_feeds", args=[unit.pk]), reverse("calsync_domain", args=[domain.pk]),
            reverse("lodging_suspensions", args=[lodging.pk]), reverse("stripe_connect"),
            reverse("label_propose"), reverse("account_delete")]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_question_marks_on_the_main_screens_open_an_existing_answer(owner_client, domain, lodging, unit,
                                                                        language):
    with translation.override(language):  # the pages of that language (/fr/ or /en/)
        extra = ENGLISH if language == "en" else {}
        if language == "en":
            in_english(owner_client)
        help_html = unescape(owner_client.get(reverse("owner_help"), **extra).content.decode())
        help_ids = anchors(help_html)
        for screen in main_screens(domain, lodging, unit):
            html = unescape(owner_client.get(screen, **extra).content.decode())
            links = re.findall(r'<a class="help-link" href="([^"#]+)#([^"]+)"[^>]*><span aria-hidden="true">\?</span>'
                               r'<span class="visually-hidden">([^<]+)</span></a>', html)
            assert len(links) == 1, f"{screen}: {len(links)} help links"
            path, anchor, name = links[0]
            assert path == reverse("owner_help") and anchor in help_ids, screen
            prefix = "Help: " if language == "en" else "Aide : "
            question = next(e.question for e in all_entries("owner", language) if e.slug == anchor)
            assert name == prefix + question


def test_traveller_screens_link_to_the_traveller_help(client, traveller):
    client.force_login(traveller)
    for screen in (reverse("trips"), reverse("my_reviews")):
        html = client.get(screen).content.decode()
        assert f'class="help-link" href="{reverse("traveller_help")}#' in html, screen


def test_french_answers_keep_guillemets_and_question_marks_on_their_line():
    french = next(e for e in all_entries("owner", "fr") if e.slug == "suspendre-hebergement")
    assert french.question.endswith("plateforme\u00a0?")
    assert "«\u00a0Suspendre la visibilité\u00a0»" in french.paragraphs[0]
    english = next(e for e in all_entries("owner", "en") if e.slug == "suspendre-hebergement")
    assert english.question.endswith("platform?") and "\u00a0" not in english.paragraphs[0]
