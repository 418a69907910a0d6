"""The rows of the owner's « Domaines historiques » table, written from Python:
`{% domain_table_rows page.object_list %}`.

Through the template engine each row's links (`{% url %}`), includes (status, pictograms)
and `{% blocktranslate %}` cost ~1.5 ms under load: 20 rows, more than the rest of the page
together (issue 14). The markup is the templates' (domains/includes/status.html and
icon.html); every value is escaped; links are reversed once per table (core/links.py)."""
from django import template
from django.template.loader import get_template
from django.urls import NoReverseMatch
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.escaping import escape
from core.links import url_for_each

register = template.Library()

_icons: dict[str, str] = {}


def icon(name: str) -> str:
    """domains/includes/icon.html's SVG, rendered once per process (it depends on nothing)."""
    svg = _icons.get(name)
    if svg is None:
        svg = _icons[name] = get_template("domains/includes/icon.html").render({"name": name})
    return svg


def status_badges(offer, has_revision: bool) -> str:
    """domains/includes/status.html."""
    html = f'<span class="status-badge status-{escape(offer.status)}">{escape(str(offer.get_status_display()))}</span>'
    if has_revision:
        pending = escape(_("Modifications en attente"))  # outside the f-string, where makemessages reads it
        html += f' <span class="status-badge status-revision">{pending}</span>'
    return html


def _links(name: str, ids: list) -> dict | None:
    try:
        return url_for_each(name, ids)
    except NoReverseMatch:
        return None


@register.simple_tag
def domain_table_rows(domains) -> str:
    domains = list(domains)
    ids = [domain.pk for domain in domains]
    wizard = url_for_each("domain_wizard", ids, suffix_args=("infos",))
    sync, lodgings, experiences = (_links("calsync_domain", ids), url_for_each("lodging_list", ids),
                                   url_for_each("experience_list", ids))
    resume = url_for_each("domain_continue", ids)
    sync_title = escape(_("Calendrier et synchronisation"))
    sync_off = escape(_("Calendrier et synchronisation (bientôt)"))
    lodgings_title, experiences_title = escape(_("Hébergements")), escape(_("Expériences"))
    resume_title = escape(_("Continuer la saisie"))
    # The patterns outside the f-strings below, where makemessages would not find them.
    sync_of, resume_of = _("Calendrier et synchronisation de %(name)s"), _("Continuer la saisie de %(name)s")
    lodgings_of, experiences_of = _("Hébergements de %(name)s"), _("Expériences de %(name)s")
    out = []
    for domain in domains:
        pk, name = domain.pk, escape(domain.name)
        names = {"name": name}
        place = escape(domain.commune) + (f" ({escape(domain.departement)})" if domain.departement else "")
        if sync:
            calendar = (f'<a class="pictogram" href="{sync[pk]}" title="{sync_title}">{icon("calendar")}'
                        f'<span class="visually-hidden">{sync_of % names}'
                        f'</span></a>')
        else:
            calendar = f'<span class="pictogram pictogram-off" title="{sync_off}">{icon("calendar")}</span>'
        out.append(
            f'    <tr>\n'
            f'      <td><a href="{wizard[pk]}">{name}</a><br><small>{place}</small></td>\n'
            f'      <td>{status_badges(domain, domain.has_revision)}</td>\n'
            f'      <td class="pictograms">\n'
            f'        {calendar}\n'
            f'        <a class="pictogram" href="{lodgings[pk]}" title="{lodgings_title}">{icon("bed")}'
            f'<span class="visually-hidden">{lodgings_of % names}</span>'
            f'<span class="count">{domain.lodging_count}</span></a>\n'
            f'        <a class="pictogram" href="{experiences[pk]}" title="{experiences_title}">{icon("experience")}'
            f'<span class="visually-hidden">{experiences_of % names}</span>'
            f'<span class="count">{domain.experience_count}</span></a>\n'
            f'      </td>\n'
            f'      <td><a class="pictogram" href="{resume[pk]}" title="{resume_title}">{icon("edit")}'
            f'<span class="visually-hidden">{resume_of % names}</span></a></td>\n'
            f'    </tr>\n')
    return mark_safe("".join(out))
