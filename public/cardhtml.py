"""The search page's result cards written from Python (issue 14). Through the template
engine the 20 cards of a page cost ~6 ms of CPU, a third of the whole page: a variable
lookup, a filter and an escape per field, a translation tag per label. Here each card is one
f-string over the dicts of public/cards.py, every value escaped (core.escaping), the labels
translated once per language and kept.

The markup and the texts are the cards': tests in public/tests/test_search_cards.py read it
as a traveller would (titles, prices in both languages, lang attributes, escaping)."""
from functools import lru_cache

from django.conf import settings
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from core.dates import long_date
from core.escaping import escape
from core.money import format_eur


@lru_cache(maxsize=8)
def _texts(language: str) -> dict:
    """The cards' messages in `language` (the active one): translated once and kept. The
    labels are escaped as `{% translate %}` prints them; the patterns are filled with escaped
    values, as `{% blocktranslate %}` does."""
    return {
        "next": escape(gettext("Prochaine séance")), "instant": escape(gettext("Réservation instantanée")),
        "minutes": gettext("%(minutes)s min"), "per_person": gettext("%(price)s par personne"),
        "night_detail": gettext("%(price)s la nuit ; total ménage compris, hors taxe de séjour"),
        "from": gettext("à partir de %(price)s la nuit"),
    }


@lru_cache(maxsize=512)
def _plurals(language: str, n: int) -> dict:
    return {
        "guests": ngettext("%(n)s voyageur", "%(n)s voyageurs", n),
        "nights": ngettext("%(total)s pour %(n)s nuit", "%(total)s pour %(n)s nuits", n),
        "reviews": ngettext("%(average)s / 5 · %(n)s avis", "%(average)s / 5 · %(n)s avis", n),
    }


def _eur(amount, language: str) -> str:
    return escape(format_eur(amount, compact=True, language=language))


def _experience_lines(row: dict, texts: dict, language: str) -> str:
    minutes = texts["minutes"] % {"minutes": row["minutes"]}
    price = texts["per_person"] % {"price": _eur(row["price"], language)}
    session = ""
    if row["next_session"]:
        when = long_date(timezone.localtime(row["next_session"]), "l j F, H:i")
        session = f'\n    <p>{texts["next"]} : {escape(when)}</p>'
    return (f'\n    <p>{escape(row["subtitle"])} · {minutes}</p>{_badge(row)}'
            f'\n    <p class="result-price">{price}</p>{session}')


def _stay_lines(row: dict, texts: dict, language: str) -> str:
    guests = _plurals(language, row["guests"])["guests"] % {"n": row["guests"]}
    if row.get("total"):
        total = _plurals(language, row["nights"])["nights"] % {"total": _eur(row["total"], language), "n": row["nights"]}
        detail = texts["night_detail"] % {"price": _eur(row["price"], language)}
        price = (f'<p class="result-price"><strong>{total}</strong> '
                 f'<span class="result-price-detail">{detail}</span></p>')
    else:
        price = f'<p class="result-price">{texts["from"] % {"price": _eur(row["price"], language)}}</p>'
    return f'\n    <p>{escape(row["subtitle"])} · {guests}</p>{_badge(row)}\n    {price}'


def _badge(row: dict) -> str:
    badge = row["domain"]["badge"]
    return f'\n    <p class="badge">{escape(badge)}</p>' if badge else ""


def _rating(row: dict, language: str) -> str:
    rating = row["rating"]
    if not rating:
        return ""
    average = escape(floatformat(rating["average"], 1))
    text = _plurals(language, rating["count"])["reviews"] % {"average": average, "n": rating["count"]}
    return f'\n    <p class="result-rating"><span aria-hidden="true">★ </span>{text}</p>'


def _card(row: dict, *, link_suffix: str, texts: dict, language: str) -> str:
    photo = (f'<img src="{escape(settings.MEDIA_URL + row["photo"])}" alt="" width="320" height="213" loading="lazy">'
             if row["photo"] else '<div class="photo-placeholder" aria-hidden="true"></div>')
    lang = f' lang="{escape(row["title_lang"])}"' if row["title_lang"] else ""
    href = escape(row["url"] + (f'{link_suffix}{row["id"]}' if link_suffix else ""))
    domain = row["domain"]
    commune = f' · {escape(domain["commune"])}' if domain["commune"] else ""
    lines = _experience_lines(row, texts, language) if row["kind"] == "experience" else _stay_lines(row, texts, language)
    instant = f'\n    <p class="tag">{texts["instant"]}</p>' if row["instant"] else ""
    return (f'<li><article class="result-card">\n  {photo}\n  <div class="result-body">\n'
            f'    <h3{lang}><a href="{href}">{escape(row["title"])}</a></h3>\n'
            f'    <p class="result-domain">{escape(domain["name"])} · {escape(domain["heritage"])}{commune}</p>'
            f'{lines}{_rating(row, language)}{instant}\n  </div>\n</article></li>\n')


def result_list_html(rows: list[dict], *, link_suffix: str = "") -> SafeString:
    """The `<ol class="result-list">` of the search page. link_suffix ("?arrivee=…&chambre=")
    takes the searched dates to the lodging page, followed by the card's unit id."""
    language = get_language() or settings.LANGUAGE_CODE
    texts = _texts(language)
    cards = "".join(_card(row, link_suffix=link_suffix, texts=texts, language=language) for row in rows)
    return mark_safe(f'<ol class="result-list">\n{cards}</ol>')
