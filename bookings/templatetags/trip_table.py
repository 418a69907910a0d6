"""« Mes voyages » written from Python: `{% trips_content %}`, the content block of
bookings/trips.html, from the view's plain rows (bookings/trip_list.py).

Through the template engine each row's link, dates, status include and money filter, and the
page's tabs and sentences, cost more than the rest of the page (issue 14). The markup is the
template's, cell for cell (bookings/tests/test_trip_table.py renders the former template
beside it); every value is escaped; the links are reversed once per page (core/links.py);
the page's fixed sentences and a date are written once per language."""
from functools import lru_cache

from django import template
from django.template import Context
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.dates import long_date
from core.escaping import escape
from core.links import url_for_each
from core.money import format_eur

from ..models import BookingStatus

register = template.Library()
_HELP = template.Engine.get_default().from_string('{% load help_tags %}{% help_link "remboursement" "traveller" %}')


@lru_cache(maxsize=4096)
def _long_date(language: str, time_zone: str, value, pattern: str) -> str:
    """`|long_date:pattern`, escaped, in the active language and time zone (the filter's
    expects_localtime converts a datetime to the current time zone)."""
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return escape(long_date(value, pattern))


@lru_cache(maxsize=16)
def _labels(language: str) -> dict:
    """The page's fixed markup in `language` (the active one), as `{% translate "…" %}` writes
    it: a literal is not escaped."""
    refunded, partly = _("Remboursée"), _("Partiellement remboursée")  # outside the f-strings
    return {
        "title": _("Mes voyages"),
        "help": _HELP.render(Context()),
        "my_reviews": escape(reverse("my_reviews")), "reviews": _("Mes avis"),
        "my_vouchers": escape(reverse("my_vouchers")), "vouchers": _("Mes bons cadeaux et leur solde"),
        "scrollable": _("Tableau, défilable horizontalement"),
        "head": "".join(f'        <th scope="col">{label}</th>\n' for label in (
            _("Réservation"), _("Dates"), _("Statut"), _("Total"))),
        "statuses": {status.value: escape(str(status.label)) for status in BookingStatus},
        "refunded": {"full": f' <span class="status-pill status-refunded">{refunded}</span>',
                     "partial": f' <span class="status-pill status-refunded">{partly}</span>', "": ""},
        "pages": _("Pages"), "previous": _("Précédente"), "next": _("Suivante"),
        "page_of": _("Page %(n)s sur %(total)s"),
        "empty": {"upcoming": _("Aucun voyage à venir. Trouvez un château, un moulin ou un prieuré pour votre "
                                "prochain séjour."),
                  "past": _("Aucun voyage passé pour le moment."),
                  "cancelled": _("Aucune réservation annulée, refusée ou expirée.")},
        "home": escape(reverse("home")), "discover": _("Découvrir les domaines"),
    }


def trip_rows_html(trips, labels: dict, language: str, zone: str) -> str:
    links = url_for_each("trip_detail", [trip.reference for trip in trips])
    out = []
    for trip in trips:
        if trip.session_start is not None:
            dates = _long_date(language, zone, trip.session_start, "j F Y, H:i")
        else:
            dates = (f'{_long_date(language, zone, trip.arrival, "j F Y")} → '
                     f'{_long_date(language, zone, trip.departure, "j F Y")}')
        status = (f'<span class="status-pill status-{escape(trip.status)}">{labels["statuses"][trip.status]}</span>'
                  f'{labels["refunded"][trip.refund_state]}\n')  # the include's last line
        out.append(
            f'\n          <tr>\n'
            f'            <td><a href="{escape(links[trip.reference])}">{escape(trip.title)}</a><br><small>'
            f'{escape(trip.reference)} · {escape(trip.domain)}</small></td>\n'
            f'            <td>{dates}</td>\n'
            f'            <td>{status}</td>\n'
            f'            <td class="num">{escape(format_eur(trip.total_to_pay))}</td>\n'
            f'          </tr>\n        ')
    return "".join(out)


@register.simple_tag(takes_context=True)
def trips_content(context) -> str:
    """The content block of bookings/trips.html, from the view's context."""
    language, zone = get_language(), timezone.get_current_timezone_name()
    labels = _labels(language)
    page, tab = context["page"], context["tab"]
    current = ' aria-current="page"'
    tabs = "".join(
        f'\n      <li><a href="?tab={escape(key)}"{current if key == tab else ""}>'
        f'{escape(str(label))}</a></li>\n    ' for key, label in context["tabs"].items())
    if page.object_list:
        pages = ""
        if page.has_other_pages():
            previous = (f'<a href="?tab={escape(tab)}&amp;page={page.previous_page_number()}">{labels["previous"]}</a>'
                        if page.has_previous() else "")
            following = (f'<a href="?tab={escape(tab)}&amp;page={page.next_page_number()}">{labels["next"]}</a>'
                         if page.has_next() else "")
            number = labels["page_of"] % {"n": page.number, "total": page.paginator.num_pages}
            pages = (f'\n    <nav class="pagination" aria-label="{labels["pages"]}">\n'
                     f'      {previous}\n      <span>{number}</span>\n      {following}\n    </nav>\n  ')
        body = (
            f'\n  <div class="table-wrap" tabindex="0" role="region" aria-label="{labels["scrollable"]}">\n'
            f'    <table class="data trips">\n'
            f'      <thead><tr>\n{labels["head"]}      </tr></thead>\n'
            f'      <tbody>\n        {trip_rows_html(page.object_list, labels, language, zone)}\n      </tbody>\n'
            f'    </table>\n  </div>\n  {pages}\n')
    else:
        # The template's {% if %} / {% elif %} branches end with their line's indent; {% else %}'s not.
        empty = labels["empty"][tab] + ("\n    " if tab in ("upcoming", "past") else "")
        body = (f'\n  <div class="empty-state">\n    {empty}\n    '
                f'<p><a class="button" href="{labels["home"]}">{labels["discover"]}</a></p>\n  </div>\n')
    return mark_safe(
        f'\n<h1>{labels["title"]}</h1>{labels["help"]}\n'
        f'<p class="trips-reviews-link"><a href="{labels["my_reviews"]}">{labels["reviews"]}</a></p>\n'
        f'<p><a href="{labels["my_vouchers"]}">{labels["vouchers"]}</a></p>\n'
        f'<nav class="filter-tabs" aria-label="{labels["title"]}">\n  <ul>\n    {tabs}\n  </ul>\n</nav>\n'
        f'{body}\n')
