"""Map of search results from the domains' coordinates (geo/maps.py draws it: département
outlines offline, Leaflet on tiles when MAP_TILES_URL is set)."""
from geo.maps import static_map as geo_static_map


def map_points(cards: list[dict]) -> list[dict]:
    points, seen = [], set()
    for card in cards:
        domain = card["domain"]
        if domain["lat"] is None or domain["lng"] is None or card["url"] in seen:
            continue
        seen.add(card["url"])
        points.append({"title": f'{card["map_title"]} – {domain["name"]}', "domain": domain["name"], "url": card["url"],
                       "price": str(card["price"]), "lat": float(domain["lat"]), "lng": float(domain["lng"])})
    return points


def static_map(points: list[dict], *, focus: str = "") -> dict:
    return geo_static_map(points, map_id="results-map", focus=focus)


def domain_map(domain) -> dict | None:
    """The domain page's map: its one pin, zoomed on its département."""
    if domain.latitude is None or domain.longitude is None:
        return None
    point = {"title": domain.name, "url": "#domain-location-title", "lat": float(domain.latitude),
             "lng": float(domain.longitude)}
    return geo_static_map([point], map_id="domain-map", focus=domain.departement, title=domain.name)
