"""`{% bookings_list_content %}` and `{% clients_list_content %}`: the content of the owner's
« Réservations » and « Clients » tabs, written from Python.

Their templates (page head, export form, filter tabs, search form, legend, caption, head
row, pagination, recent exports, help link) cost ~15 ms of CPU a request under load in
`{% translate %}`, `{% url %}`, includes and inclusion tags, more than the minimal view's
whole page ten times over (issue 14). The markup is the templates', character for
character (bookings/tests/test_dashboard_pages.py renders the former templates beside it
in both languages); labels are translated once per language, links reversed once per
process, and every value is escaped."""
from functools import lru_cache
from types import SimpleNamespace
from urllib.parse import quote

from django import template
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, ngettext, pgettext

from core.escaping import escape

from ..selectors import ROW_STATES, ListFilter
from .booking_table import _csrf_input, booking_table_rows, client_table_rows

register = template.Library()
CURRENT, NUM = 'aria-current="page"', ' class="num"'


@lru_cache(maxsize=4)
def _labels(language: str) -> SimpleNamespace:
    """The pages' fixed labels, escaped as `{% translate %}` escapes them."""
    reports, reports_url = escape(gettext("Mes signalements")), escape(reverse("dashboard_reports"))
    legend_items = "".join(f'<li><span class="status-pill status-{escape(state.code)}">{escape(str(state.label))}'
                           f'</span></li>' for state in ROW_STATES)
    return SimpleNamespace(
        bookings=escape(gettext("Réservations")), clients=escape(gettext("Clients")),
        export=escape(gettext("Exporter cette liste")),
        export_worker=escape(gettext("Liste longue : le fichier peut être préparé en arrière-plan, vous le "
                                     "téléchargerez ensuite.")),
        recent=escape(gettext("Vos exports récents")),
        sort=escape(gettext("Trier les réservations")),
        search_bookings=escape(gettext("Rechercher une référence ou un voyageur")),
        search_clients=escape(gettext("Rechercher un client (nom, e-mail, téléphone)")),
        search=escape(gettext("Rechercher")), clear=escape(gettext("Effacer la recherche")),
        legend=escape(pgettext("couleurs des statuts", "Légende")), legend_items=legend_items,
        filters={key: escape(str(label)) for key, label in ListFilter.choices},
        scroll=escape(gettext("Tableau, défilable horizontalement")),
        booking_heads=[escape(gettext("Statut")), escape(gettext("Référence")), escape(gettext("Offre")),
                       escape(gettext("Dates")), escape(gettext("Voyageurs")), escape(gettext("Total")),
                       escape(gettext("Voyageur")), escape(gettext("Actions"))],
        client_heads=[escape(gettext("Nom")), escape(gettext("Courriel")), escape(gettext("Téléphone")),
                      escape(gettext("Réservations confirmées")), escape(gettext("Dernier séjour"))],
        clients_lead=escape(gettext("Les voyageurs de vos réservations confirmées, avec leurs coordonnées si "
                                    "vous avez besoin de les joindre.")),
        no_clients=escape(gettext("Aucun client pour le moment : les voyageurs de vos réservations confirmées "
                                  "apparaîtront ici.")),
        pages=escape(gettext("Pages")), previous=escape(gettext("Page précédente")),
        next=escape(gettext("Page suivante")),
        reports_link=f'<p class="page-links"><a href="{reports_url}">{reports}</a></p>\n',
    )


@lru_cache(maxsize=8)
def _export_urls(kind: str, language: str) -> dict:
    """The export links of a list (the language is in their path)."""
    return {fmt: escape(reverse("export_list", args=[kind, fmt])) for fmt in ("csv", "pdf", "xlsx")}


def export_form(context, kind: str, labels) -> str:
    """bookings/dashboard/_export_form.html."""
    urls = _export_urls(kind, get_language())
    hidden = "".join(f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
                     for name, value in context["export_params"])
    buttons = "".join(
        f'\n    <button type="submit" class="button button-small button-secondary" formaction="{urls[fmt]}"\n'
        f'            aria-describedby="export-label-{kind}">{escape(fmt_label)}</button>\n  '
        for fmt, fmt_label in context["export_formats"])
    worker = f'<span class="helptext">{labels.export_worker}</span>' if context["export_in_worker"] else ""
    return (f'\n<form method="post" action="{urls["csv"]}" class="export-form">\n'
            f'  {_csrf_input(context)}\n'
            f'  {hidden}\n'
            f'  <span id="export-label-{kind}">{labels.export}</span>\n'
            f'  {buttons}\n'
            f'  {worker}\n'
            f'</form>\n')


def recent_exports_html(jobs, labels) -> str:
    """exports/recent.html, from `exports_tags.recent_export_rows`."""
    if not jobs:
        return "\n"
    items = "".join(
        f'\n      <li><a href="{escape(job.url)}">{escape(job.format)} · '
        f'{escape(date_filter(timezone.localtime(job.created_at), "j N H:i"))}</a> — {escape(job.status)}</li>\n    '
        for job in jobs)
    return (f'\n<details class="recent-exports">\n'
            f'  <summary>{labels.recent}</summary>\n'
            f'  <ul>\n'
            f'    {items}\n'
            f'  </ul>\n'
            f'</details>\n\n')


def pagination_html(request, page, labels) -> str:
    """bookings/dashboard/_pagination.html (`{% querystring page=… %}` keeps the other parameters)."""
    if not page.has_other_pages():
        return "\n\n"

    def link(number) -> str:
        params = request.GET.copy()
        params["page"] = number
        return escape(f"?{params.urlencode()}")

    previous = (f'<a href="{link(page.previous_page_number())}" rel="prev">{labels.previous}</a>'
                if page.has_previous() else "")
    following = f'<a href="{link(page.next_page_number())}" rel="next">{labels.next}</a>' if page.has_next() else ""
    current = gettext("Page %(number)s sur %(total)s") % {"number": page.number, "total": page.paginator.num_pages}
    return (f'\n\n<nav class="pagination" aria-label="{labels.pages}">\n'
            f'  {previous}\n'
            f'  <span aria-current="page">{current}</span>\n'
            f'  {following}\n'
            f'</nav>\n\n')


def _search_form(labels, *, field: str, label: str, query: str, hidden: str, clear: str) -> str:
    clear_link = f'<a href="{clear}">{labels.clear}</a>' if query else ""
    return (f'<form method="get" class="list-search" role="search">\n'
            f'{hidden}'
            f'  <label for="{field}">{label}</label>\n'
            f'  <input type="search" id="{field}" name="q" value="{escape(query)}">\n'
            f'  <button type="submit" class="button button-small">{labels.search}</button>\n'
            f'  {clear_link}\n'
            f'</form>\n')


@register.simple_tag(takes_context=True)
def bookings_list_content(context, help_link: str, reported) -> str:
    """The content block of bookings/dashboard/bookings_list.html."""
    labels = _labels(get_language())
    request, query, list_filter = context["request"], context["query"], context["list_filter"]
    page, rows = context["page"], context["rows"]
    query_param = f"&amp;q={escape(quote(query, safe='/'))}" if query else ""
    tabs = "".join(
        f'\n    <li><a href="?filtre={escape(key)}{query_param}" '
        f'{CURRENT if key == list_filter else ""}>{labels.filters[key]} '
        f'<span class="count">({count})</span></a></li>\n  '
        for key, _label, count in context["filters"])
    filter_value = escape(list_filter)
    search = _search_form(labels, field="booking-search", label=labels.search_bookings, query=query,
                          hidden=f'  <input type="hidden" name="filtre" value="{filter_value}">\n',
                          clear=f"?filtre={filter_value}")
    out = [
        f'\n<div class="page-head">\n'
        f'  <h1>{labels.bookings}</h1>{help_link}\n'
        f'  {export_form(context, "bookings", labels)}\n'
        f'</div>\n'
        f'{labels.reports_link}\n'
        f'{recent_exports_html(context["recent_exports"], labels)}\n\n'
        f'<nav class="filter-tabs" aria-label="{labels.sort}">\n'
        f'  <ul>\n'
        f'  {tabs}\n'
        f'  </ul>\n'
        f'</nav>\n\n'
        f'{search}\n'
        f'<div class="status-legend">\n'
        f'  <h2 id="legend-title" class="legend-title">{labels.legend}</h2>\n'
        f'  <ul aria-labelledby="legend-title">\n'
        f'    {labels.legend_items}\n'
        f'  </ul>\n'
        f'</div>\n\n']
    if rows:
        count = page.paginator.count
        counted = ngettext("%(counter)s réservation", "%(counter)s réservations", count) % {"counter": count}
        searched = f" · « {escape(query)} »" if query else ""
        heads = "".join(f'\n      <th scope="col"{NUM if index == 5 else ""}>{head}</th>'
                        for index, head in enumerate(labels.booking_heads))
        out.append(
            f'\n<div class="table-wrap" tabindex="0" role="region" aria-label="{labels.scroll}">\n'
            f'<table class="data bookings-table">\n'
            f'  <caption>{escape(str(context["filter_label"]))}{searched} · {counted}</caption>\n'
            f'  <thead>\n'
            f'    <tr>{heads}\n'
            f'    </tr>\n'
            f'  </thead>\n'
            f'  <tbody>\n'
            f'  \n'
            f'  {booking_table_rows(context, rows, reported)}\n'
            f'  </tbody>\n'
            f'</table>\n'
            f'</div>\n'
            f'{pagination_html(request, page, labels)}\n')
    else:
        out.append(f'\n<div class="empty-state"><p>{escape(context["empty_text"])}</p></div>\n')
    out.append("\n")
    return mark_safe("".join(out))


@register.simple_tag(takes_context=True)
def clients_list_content(context, help_link: str) -> str:
    """The content block of bookings/dashboard/clients_list.html."""
    labels = _labels(get_language())
    request, query, page = context["request"], context["query"], context["page"]
    search = _search_form(labels, field="client-search", label=labels.search_clients, query=query, hidden="",
                          clear="?")
    out = [
        f'\n<div class="page-head">\n'
        f'  <h1>{labels.clients}</h1>{help_link}\n'
        f'  {export_form(context, "clients", labels)}\n'
        f'</div>\n'
        f'{recent_exports_html(context["recent_exports"], labels)}\n'
        f'<p class="lead-small">{labels.clients_lead}</p>\n\n'
        f'{search}\n']
    if page.object_list:
        count = page.paginator.count
        counted = ngettext("%(counter)s client", "%(counter)s clients", count) % {"counter": count}
        heads = "".join(f'\n      <th scope="col"{NUM if index == 3 else ""}>{head}</th>'
                        for index, head in enumerate(labels.client_heads))
        out.append(
            f'\n<div class="table-wrap" tabindex="0" role="region" aria-label="{labels.scroll}">\n'
            f'<table class="data clients-table">\n'
            f'  <caption>{counted}</caption>\n'
            f'  <thead>\n'
            f'    <tr>{heads}\n'
            f'    </tr>\n'
            f'  </thead>\n'
            f'  <tbody>\n'
            f'  {client_table_rows(page.object_list)}\n'
            f'  </tbody>\n'
            f'</table>\n'
            f'</div>\n'
            f'{pagination_html(request, page, labels)}\n')
    else:
        if query:
            empty = gettext("Aucun client ne correspond à « %(query)s ».") % {"query": escape(query)}
        else:
            empty = labels.no_clients
        out.append(f'\n<div class="empty-state"><p>{empty}</p></div>\n')
    out.append("\n")
    return mark_safe("".join(out))
