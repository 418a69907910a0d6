"""{% help_link "slug" %}: the "?" beside a screen's title, opening the matching answer of
the owner help (or {% help_link "slug" "traveller" %})."""
from django import template
from django.urls import reverse

from helpcentre import entries

register = template.Library()
HELP_URL_NAMES = {"owner": "owner_help", "traveller": "traveller_help"}


@register.inclusion_tag("helpcentre/includes/help_link.html")
def help_link(slug: str, guide: str = "owner") -> dict:
    entry = entries.find(guide, slug)
    if entry is None:
        # A typo must not break the screen; the help tests check every slug in the templates.
        return {"entry": None}
    return {"entry": entry, "url": f"{reverse(HELP_URL_NAMES[guide])}#{entry.slug}"}


@register.inclusion_tag("helpcentre/includes/help_answer.html")
def help_answer(slug: str, guide: str = "owner") -> dict:
    """The answer itself, beside the screen it concerns (the damage answer beside the report
    form): question, paragraphs and a link to it in the help."""
    entry = entries.find(guide, slug)
    if entry is None:
        return {"entry": None}
    return {"entry": entry, "url": f"{reverse(HELP_URL_NAMES[guide])}#{entry.slug}"}
