"""The rows of a domain's « Hébergements » table, written from Python:
`{% lodging_table_rows page.object_list %}` (see domains/templatetags/offer_table.py: the
template's markup, cell for cell, every value escaped, links reversed once per table)."""
from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.escaping import escape
from core.links import url_for_each
from core.money import format_eur
from domains.templatetags.offer_table import icon, status_badges

register = template.Library()


@register.simple_tag
def lodging_table_rows(lodgings) -> str:
    lodgings = list(lodgings)
    ids = [lodging.pk for lodging in lodgings]
    units_of = {lodging.pk: list(lodging.units.all()) for lodging in lodgings}  # prefetched
    wizard = url_for_each("lodging_wizard", ids, suffix_args=("description",))
    resume, suspend = url_for_each("lodging_continue", ids), url_for_each("lodging_suspensions", ids)
    feeds = url_for_each("calsync_unit_feeds", [unit.pk for units in units_of.values() for unit in units])
    resume_title, ical_title = escape(_("Continuer la saisie")), escape(_("Configuration iCal"))
    suspend_title = escape(_("Suspendre la visibilité"))
    # The patterns outside the f-strings below, where makemessages would not find them.
    ical_of, resume_of = _("Configuration iCal de %(name)s"), _("Continuer la saisie de %(name)s")
    suspend_of = _("Suspendre la visibilité de %(name)s")
    out = []
    for lodging in lodgings:
        pk, title, units = lodging.pk, escape(lodging.title), units_of[lodging.pk]
        titles = {"name": title}
        active = [unit for unit in units if unit.is_active]
        if units:
            shown = [f"{escape(unit.name)} <small>({escape(format_eur(unit.nightly_price))})</small>" for unit in units
                     if unit.is_active]
            # The template's {% for %}…{% if not forloop.last %}<br>: no <br> after the last unit,
            # even when that one is inactive and not shown.
            rooms = "".join(text + ("<br>" if unit is not units[-1] else "")
                            for text, unit in zip(shown, active, strict=True))
        else:
            rooms = "—"
        if lodging.kind == "gite":
            ical = "".join(
                f'<a class="pictogram pictogram-bed" href="{feeds[unit.pk]}" title="{ical_title}">{icon("bed")}'
                f'<span class="visually-hidden">{ical_of % {"name": escape(unit.name)}}'
                f'</span></a>' for unit in units)
        elif units:
            items = "".join(f'<li><a href="{feeds[unit.pk]}">{escape(unit.name)}</a></li>' for unit in units)
            ical = (f'<details class="ical-picker"><summary title="{ical_title}">{icon("bed")}'
                    f'<span class="visually-hidden">{ical_of % titles}</span></summary>\n'
                    f'            <ul>{items}</ul>\n          </details>')
        else:
            ical = ""
        out.append(
            f'    <tr>\n'
            f'      <td><a href="{wizard[pk]}">{title}</a></td>\n'
            f'      <td>{escape(str(lodging.get_kind_display()))}</td>\n'
            f'      <td>{rooms}</td>\n'
            f'      <td>{status_badges(lodging, lodging.has_revision)}</td>\n'
            f'      <td class="pictograms">\n'
            f'        <a class="pictogram" href="{resume[pk]}" title="{resume_title}">{icon("edit")}'
            f'<span class="visually-hidden">{resume_of % titles}</span></a>\n'
            f'        {ical}\n'
            f'        <a class="pictogram" href="{suspend[pk]}" title="{suspend_title}">{icon("pause")}'
            f'<span class="visually-hidden">{suspend_of % titles}</span></a>\n'
            f'      </td>\n'
            f'    </tr>\n')
    return mark_safe("".join(out))
