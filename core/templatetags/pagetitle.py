"""The page title: "<page> · Alma Heritage", or the site name alone when a page sets none.

A template cannot test whether a block is empty (`{% if self.title %}` is not Django), so
the base layout filters the rendered block: `{% filter site_title %}{% block title %}…`.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

SITE_NAME = "Alma Heritage"


@register.filter(is_safe=True)
def site_title(rendered_block) -> str:
    page = conditional_escape(rendered_block).strip()
    if not page:
        return SITE_NAME
    return mark_safe(f"{page} · {SITE_NAME}")
