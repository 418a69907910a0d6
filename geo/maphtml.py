"""The offline map (geo/maps.py's dict) written from Python: département outlines as the
background image, one SVG link per pin or cluster, the points for Leaflet when tiles are set.
The search page draws up to 20 pins on every request; through a template with a loop and a
plural tag per pin it cost ~1.4 ms, here ~0.2 (issue 14). `{% map_figure map %}` prints it
(geo/templatetags/geo_tags.py)."""
from django.utils.html import json_script
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from core.escaping import escape


def _pin(pin: dict, map_: dict) -> str:
    count = pin["count"]
    label = escape(pin["label"])
    if count > 1:
        names = ngettext("%(n)s offre : %(names)s", "%(n)s offres : %(names)s", count) % {"n": count, "names": label}
        circle = (f'<circle cx="{pin["x"]}" cy="{pin["y"]}" r="{map_["cluster_radius"]}"><title>{label}</title></circle>'
                  f'<text x="{pin["x"]}" y="{pin["y"]}" font-size="{map_["font_size"]}" text-anchor="middle" '
                  f'dominant-baseline="central" aria-hidden="true">{count}</text>')
        css = "map-pin map-cluster"
    else:
        names = label
        circle = f'<circle cx="{pin["x"]}" cy="{pin["y"]}" r="{map_["pin_radius"]}"><title>{label}</title></circle>'
        css = "map-pin"
    return f'\n    <a href="{escape(pin["url"])}" aria-label="{names}" class="{css}">{circle}</a>'


def map_html(map_: dict) -> SafeString:
    map_id = escape(map_["id"])
    tiles = ""
    if map_["tiles_url"]:
        tiles = (f'\n  <div id="{map_id}-tiles" class="leaflet-box" data-points="{map_id}-points" '
                 f'data-tiles="{escape(map_["tiles_url"])}" data-attribution="{escape(map_["tiles_attribution"])}"></div>')
    title = escape(map_["title"] or gettext("Carte des résultats"))
    background = escape(map_["background"])
    pins = "".join(_pin(pin, map_) for pin in map_["pins"])
    elsewhere = ""
    if map_["elsewhere"]:
        links = ", ".join(f'<a href="{escape(p["url"])}">{escape(p["title"])}</a>' for p in map_["elsewhere"])
        outside = escape(gettext("Outre-mer, hors de la carte :"))  # not inside the f-string: xgettext reads it
        elsewhere = f'\n  <figcaption>{outside} {links}</figcaption>'
    fallback = " js-fallback" if map_["tiles_url"] else ""
    return mark_safe(
        f'<figure class="geo-map">{tiles}\n'
        f'  <svg class="static-map{fallback}" viewBox="{escape(map_["viewbox"])}" role="group" '
        f'aria-labelledby="{map_id}-title" data-static-map data-projection="{escape(map_["projection"])}" '
        f'data-background="{background}">\n'
        f'    <title id="{map_id}-title">{title}</title>\n'
        f'    <image href="{background}" x="0" y="0" width="{map_["width"]}" height="{map_["height"]}"></image>'
        f'{pins}\n  </svg>{elsewhere}\n  {json_script(map_["points"], map_["points_id"])}\n</figure>')
