"""The offline map: France's départements (geo/views.departements_svg) with pins placed by
the drawing's projection, zoomed on the pins and clustered where they crowd. Leaflet draws
the same points on tiles when MAP_TILES_URL is set (geo/static/geo/leaflet-map.js)."""
import math

from django.conf import settings
from django.urls import reverse

from . import projection

MIN_SPAN = 60.0  # SVG units (about 110 km): the smallest zoom, one pin shows its neighbours
CLUSTER_SHARE = 0.045  # pins closer than this share of the shown width merge into one


def static_map(points: list[dict], *, map_id: str, focus: str = "", title: str = "", tiles: bool = True) -> dict:
    """points: {"lat", "lng", "title", "url"}; points outside the drawing (overseas) are
    counted in `elsewhere`. Returns what geo/map.html prints: the viewBox (as text, so a
    French page does not write "12,5"), the pins and clusters, the Leaflet data."""
    placed, elsewhere = [], []
    for point in points:
        if projection.on_map(point["lat"], point["lng"]):
            x, y = projection.project(point["lat"], point["lng"])
            placed.append({**point, "x": x, "y": y})
        else:
            elsewhere.append(point)
    x0, y0, width, height = projection.VIEWBOX
    if placed:
        xs, ys = [p["x"] for p in placed], [p["y"] for p in placed]
        span = max(max(xs) - min(xs), (max(ys) - min(ys)) * width / height, MIN_SPAN) * 1.25
        span_y = span * height / width
        cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        view = (cx - span / 2, cy - span_y / 2, span, span_y)
    else:
        view = (x0, y0, width, height)
    radius = view[2] * CLUSTER_SHARE
    clusters: list[dict] = []
    for point in placed:
        for cluster in clusters:
            if math.hypot(cluster["x"] - point["x"], cluster["y"] - point["y"]) < radius:
                cluster["points"].append(point)
                break
        else:
            clusters.append({"x": point["x"], "y": point["y"], "points": [point]})
    pins = []
    for cluster in clusters:
        members = cluster["points"]
        x = sum(p["x"] for p in members) / len(members)
        y = sum(p["y"] for p in members) / len(members)
        pins.append({"x": f"{x:.2f}", "y": f"{y:.2f}", "count": len(members), "points": members,
                     "url": members[0]["url"], "label": " · ".join(p["title"] for p in members)})
    return {
        "id": map_id, "points_id": f"{map_id}-points", "viewbox": " ".join(f"{v:.2f}" for v in view), "pins": pins, "elsewhere": elsewhere,
        "background": reverse("departements_map") + (f"?focus={focus}" if focus else ""),
        "width": f"{width:g}", "height": f"{height:g}", "pin_radius": f"{view[2] * 0.018:.2f}",
        "cluster_radius": f"{view[2] * 0.028:.2f}", "font_size": f"{view[2] * 0.028:.2f}",
        "title": title, "tiles_url": settings.MAP_TILES_URL if tiles else "",
        "projection": f"{projection.SCALE} {projection.X0} {projection.Y0}", "focus": focus, "tiles_attribution": settings.MAP_TILES_ATTRIBUTION,
        "points": [{"lat": p["lat"], "lng": p["lng"], "title": p["title"], "url": p["url"]} for p in points],
    }
