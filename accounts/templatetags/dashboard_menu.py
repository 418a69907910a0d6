"""`{% dashboard_menu tab %}`: the dashboard's side menu, written from Python.

Its links depend only on the language (and the script prefix): they are reversed and
translated once per process and language, and each page only marks its own tab with
aria-current. Through the template engine (eight `{% url %}`, eight `{% translate %}` and
their `{% if %}`) the menu cost about as much as the whole minimal page (issue 14)."""
from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

register = template.Library()

# (URL name, label, the tab it marks as the current page, or None: « Compte » never is).
ITEMS = (
    ("dashboard", gettext_noop("Général"), "general"),
    ("dashboard_domains", gettext_noop("Domaines historiques"), "domains"),
    ("dashboard_bookings", gettext_noop("Réservations"), "bookings"),
    ("dashboard_clients", gettext_noop("Clients"), "clients"),
    ("dashboard_reviews", gettext_noop("Avis"), "reviews"),
    ("dashboard_payments", gettext_noop("Paiements"), "payments"),
    ("account_details", gettext_noop("Compte"), None),
    ("owner_help", gettext_noop("Aide"), "help"),
)
_parts: dict[tuple[str, str], tuple[str, list[tuple[str | None, str, str]], str]] = {}


def _menu_parts(key: tuple[str, str]):
    parts = _parts.get(key)
    if parts is None:
        title = escape(_("Tableau de bord"))  # outside the f-strings, where makemessages reads it
        head = f'<nav class="side-menu" aria-label="{title}">\n    <ul>\n'
        texts = {label: escape(_(label)) for _name, label, _tab in ITEMS}  # marked by gettext_noop above
        items = [(tab, f'      <li><a href="{escape(reverse(name))}"', f">{texts[label]}</a></li>\n")
                 for name, label, tab in ITEMS]
        parts = _parts[key] = (head, items, "    </ul>\n  </nav>")
    return parts


@register.simple_tag
def dashboard_menu(tab: str | None) -> str:
    head, items, tail = _menu_parts((get_language() or "", get_script_prefix()))
    return mark_safe(head + "".join(start + (' aria-current="page"' if item_tab is not None and item_tab == tab else "")
                                    + end for item_tab, start, end in items) + tail)
