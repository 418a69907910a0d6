"""`{% load geo_tags %}{% map_figure map %}`: the offline map of geo/maps.py (geo/maphtml.py)."""
from django import template

from geo.maphtml import map_html

register = template.Library()


@register.simple_tag
def map_figure(map_: dict):
    return map_html(map_)
