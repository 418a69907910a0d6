"""The rows of a domain's « Expériences » table, written from Python:
`{% experience_table_rows page.object_list %}` (see domains/templatetags/offer_table.py: the
template's markup, cell for cell, every value escaped, links reversed once per table)."""
from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.dates import long_date
from core.escaping import escape
from core.links import url_for_each
from domains.templatetags.offer_table import icon, status_badges

register = template.Library()


@register.simple_tag
def experience_table_rows(experiences) -> str:
    experiences = list(experiences)
    ids = [experience.pk for experience in experiences]
    wizard = url_for_each("experience_wizard", ids, suffix_args=("description",))
    resume = url_for_each("experience_continue", ids)
    resume_title, edit = escape(_("Continuer la saisie")), icon("edit")
    none_ahead = escape(_("Aucune période à venir"))  # outside the f-strings, where makemessages reads it
    no_period = f'<span class="status-badge status-rejected">{none_ahead}</span>'
    resume_of = _("Continuer la saisie de %(name)s")
    out = []
    for experience in experiences:
        pk, title = experience.pk, escape(experience.title)
        if experience.next_session:
            # The |long_date filter's expects_localtime: the session's time in the current zone.
            when = escape(long_date(timezone.localtime(experience.next_session), "j F Y H:i"))
        elif not experience.future_periods:
            when = no_period
        else:
            when = "—"
        out.append(
            f'    <tr>\n'
            f'      <td><a href="{wizard[pk]}">{title}</a></td>\n'
            f'      <td>{escape(str(experience.get_category_display()))}</td>\n'
            f'      <td>{when}</td>\n'
            f'      <td>{status_badges(experience, experience.has_revision)}</td>\n'
            f'      <td><a class="pictogram" href="{resume[pk]}" title="{resume_title}">{edit}'
            f'<span class="visually-hidden">{resume_of % {"name": title}}</span></a></td>\n'
            f'    </tr>\n')
    return mark_safe("".join(out))
