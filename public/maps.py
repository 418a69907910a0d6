"""Map of search results from the domains' coordinates. With a tiles URL set, Leaflet (from
npm) draws them on tiles; without one (tests, offline) a static SVG plots the same points,
so no page ever asks an outside service for anything unless configured to."""
from django.urls import reverse

SVG_WIDTH, SVG_HEIGHT, SVG_MARGIN = 400, 300, 20


def map_points(rows: list, *, kind: str) -> list[dict]:
    points, seen = [], set()
    for row in rows:
        domain = row.domain if kind == "experience" else row.lodging.domain
        if domain.latitude is None or domain.longitude is None:
            continue
        if kind == "experience":
            title, url, price = row.title, reverse("experience_detail", args=[row.slug]), row.price_per_person
        else:
            title, url, price = row.lodging.title, reverse("lodging_detail", args=[row.lodging.slug]), row.nightly_price
        if url in seen:
            continue
        seen.add(url)
        points.append({"title": title, "domain": domain.name, "url": url, "price": str(price),
                       "lat": float(domain.latitude), "lng": float(domain.longitude)})
    return points


def static_map(points: list[dict]) -> list[dict]:
    """Points projected into an SVG box (equirectangular, enough at the scale of France)."""
    if not points:
        return []
    lats, lngs = [p["lat"] for p in points], [p["lng"] for p in points]
    lat_span = max(max(lats) - min(lats), 0.5)
    lng_span = max(max(lngs) - min(lngs), 0.5)
    usable_w, usable_h = SVG_WIDTH - 2 * SVG_MARGIN, SVG_HEIGHT - 2 * SVG_MARGIN
    return [{**p, "x": round(SVG_MARGIN + (p["lng"] - min(lngs)) / lng_span * usable_w, 1),
             "y": round(SVG_MARGIN + (max(lats) - p["lat"]) / lat_span * usable_h, 1)} for p in points]
