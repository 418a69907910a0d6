"""`{% language_switch %}`: the header's links to this page in the other languages
(`language_links`, core/context_processors.py), written from Python. Through the template's
loop they cost the search page ~0.2 ms a request (issue 14); the markup is the loop's."""
from django import template
from django.utils.safestring import mark_safe

from core.escaping import escape

register = template.Library()


@register.simple_tag(takes_context=True)
def language_switch(context) -> str:
    return mark_safe("".join(
        f'\n          <li><a href="{escape(link.url)}" hreflang="{escape(link.code)}" lang="{escape(link.code)}" '
        f'class="language-switcher">{escape(link.name)}</a></li>\n        '
        for link in context.get("language_links") or ()))
