"""`{% load renderedonce %}{% rendered_once "footer" %}…{% endrendered_once %}`: a part of
the page frame that depends on nothing but the language (the footer's links, the menu of a
visitor who is not logged in) is rendered once per process and language, then printed as
it was. Through the template engine the footer alone cost ~1 ms a page, as much as the
minimal page (issue 14). Never for anything that depends on the visitor, the request or
the data: those stay outside. Off under DEBUG, so that template edits show at once."""
from django import template
from django.conf import settings
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

_rendered: dict[tuple[str, str, str], str] = {}


class RenderedOnceNode(template.Node):
    def __init__(self, name: str, nodelist: template.NodeList, variable: str | None = None):
        self.name, self.nodelist, self.variable = name, nodelist, variable

    def render(self, context) -> str:
        if settings.DEBUG:
            html = self.nodelist.render(context)
        else:
            key = (self.name, get_language() or "", get_script_prefix())
            html = _rendered.get(key)
            if html is None:
                html = _rendered[key] = self.nodelist.render(context)
        if self.variable:  # `as name`: kept for a tag further on (a table written from Python)
            context[self.variable] = mark_safe(html)
            return ""
        return mark_safe(html)


@register.tag
def rendered_once(parser, token):
    """`{% rendered_once "name" %}…{% endrendered_once %}`, or `{% rendered_once "name" as
    variable %}` to keep it in `variable` instead of printing it."""
    bits = token.split_contents()
    quoted = len(bits) >= 2 and bits[1][0] in "\"'" and bits[1][-1] == bits[1][0]
    if not quoted or len(bits) not in (2, 4) or (len(bits) == 4 and bits[2] != "as"):
        raise template.TemplateSyntaxError('{% rendered_once "name" [as variable] %} takes one quoted name')
    nodelist = parser.parse(("endrendered_once",))
    parser.delete_first_token()
    return RenderedOnceNode(bits[1][1:-1], nodelist, bits[3] if len(bits) == 4 else None)


def forget_rendered() -> None:
    """Tests that change the URLs or the languages start from nothing."""
    _rendered.clear()
