"""Map of search results from the domains' coordinates. With a tiles URL set, Leaflet (from
npm) draws them on tiles; without one (tests, offline) a static SVG plots the same points,
so no page ever asks an outside service for anything unless configured to."""

SVG_WIDTH, SVG_HEIGHT, SVG_MARGIN = 400, 300, 20


def map_points(cards: list[dict]) -> list[dict]:
    points, seen = [], set()
    for card in cards:
        domain = card["domain"]
        if domain["lat"] is None or domain["lng"] is None or card["url"] in seen:
            continue
        seen.add(card["url"])
        points.append({"title": card["map_title"], "domain": domain["name"], "url": card["url"],
                       "price": str(card["price"]), "lat": float(domain["lat"]), "lng": float(domain["lng"])})
    return points


def static_map(points: list[dict]) -> list[dict]:
    """Points projected into an SVG box (equirectangular, enough at the scale of France)."""
    if not points:
        return []
    lats, lngs = [p["lat"] for p in points], [p["lng"] for p in points]
    lat_span = max(max(lats) - min(lats), 0.5)
    lng_span = max(max(lngs) - min(lngs), 0.5)
    usable_w, usable_h = SVG_WIDTH - 2 * SVG_MARGIN, SVG_HEIGHT - 2 * SVG_MARGIN
    # Strings, so a French page does not write "12,5" into SVG coordinates.
    return [{**p, "x": f"{SVG_MARGIN + (p['lng'] - min(lngs)) / lng_span * usable_w:.1f}",
             "y": f"{SVG_MARGIN + (max(lats) - p['lat']) / lat_span * usable_h:.1f}"} for p in points]
