"""The content pages' first texts (kept in public/seed/, editable in admin afterwards) and
the tiny markup their bodies use."""
from pathlib import Path

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from core.localized import localized

SEED_DIR = Path(__file__).resolve().parent / "seed"

# slug, French title, English title, French description, English description
PAGES = [
    ("qui-sommes-nous", "Qui sommes-nous ?", "Who we are",
     "L’agence Alma Heritage et sa plateforme solidaire de séjours au cœur du patrimoine.",
     "The Alma Heritage agency and its solidarity platform for stays at the heart of heritage."),
    ("partenaires", "Nos partenaires", "Our partners",
     "Les fondations du patrimoine soutenues par chaque réservation.",
     "The heritage foundations every booking supports."),
    ("faq-proprietaires", "FAQ propriétaires", "Owner FAQ",
     "Les réponses aux questions des propriétaires de domaines historiques.",
     "Answers to the questions of historic estate owners."),
    ("faq-voyageurs", "FAQ voyageurs", "Traveller FAQ",
     "Réserver, annuler, payer : les réponses aux questions des voyageurs.",
     "Booking, cancelling, paying: answers to travellers' questions."),
    ("cgv", "Conditions générales de vente", "Terms of sale", "", ""),
    ("contrat-proprietaire", "Contrat propriétaire", "Owner contract", "", ""),
    ("mentions-legales", "Mentions légales", "Legal notice", "", ""),
    ("confidentialite", "Politique de confidentialité", "Privacy policy", "", ""),
]


def _seed_text(slug: str, language: str) -> str:
    path = SEED_DIR / f"{slug}.{language}.txt"
    return path.read_text(encoding="utf-8").strip() if path.exists() else ""


def ensure_pages(page_model) -> int:
    """Create the missing pages from the seed texts; never overwrite what staff edited.
    Takes the model so a data migration can pass its historical one. Returns how many."""
    created = 0
    for position, (slug, title_fr, title_en, meta_fr, meta_en) in enumerate(PAGES):
        _page, was_created = page_model.objects.get_or_create(slug=slug, defaults={
            "title_fr": title_fr, "title_en": title_en, "meta_description_fr": meta_fr,
            "meta_description_en": meta_en, "body_fr": _seed_text(slug, "fr"),
            "body_en": _seed_text(slug, "en"), "position": position})
        created += was_created
    return created


def _link(text: str) -> str:
    if text.startswith(("https://", "http://")) and " " not in text:
        return f'<a href="{escape(text)}" rel="noopener">{escape(text)}</a>'
    return escape(text)


def render_markup(text: str) -> SafeString:
    """Blank-line separated blocks: "## " h2, "### " h3, lines of "- " a list, else a
    paragraph. Everything escaped, so staff cannot break the page by accident."""
    html: list[str] = []
    for block in (b.strip() for b in text.replace("\r\n", "\n").split("\n\n")):
        if not block:
            continue
        if block.startswith("### "):
            html.append(f"<h3>{escape(block[4:])}</h3>")
        elif block.startswith("## "):
            html.append(f"<h2>{escape(block[3:])}</h2>")
        elif all(line.startswith("- ") for line in block.splitlines()):
            items = format_html_join("", "<li>{}</li>", ((line[2:],) for line in block.splitlines()))
            html.append(f"<ul>{items}</ul>")
        else:
            html.append("<p>" + "<br>".join(_link(line) for line in block.splitlines()) + "</p>")
    return mark_safe("\n".join(html))  # noqa: S308 — every piece above is escaped


def render_offer_text(offer, field: str) -> SafeString:
    """An offer's text in the page's language (core/localized.py), rendered; French shown on
    an English page is wrapped in a `lang="fr"` block."""
    text = localized(offer, field)
    html = render_markup(text.text)
    return format_html('<div lang="{}">{}</div>', text.lang, html) if text.foreign and html else html
