"""Regions, départements and communes of France, from the official data (geo/build.py):
suggestions as a person types, what a typed place means, and the facts an address needs.
Loaded once per process (about 35,000 communes, 2 MB)."""
import re
import unicodedata
from bisect import bisect_left
from functools import cache, lru_cache
from typing import NamedTuple

from . import build

MIN_CHARS = 2
MAX_CHARS = 60
MAX_RESULTS = 20
TYPES = ("region", "departement", "commune")
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def normalize(text: str) -> str:
    """Lower case, no accents, hyphens and apostrophes as spaces, "St" as "Saint":
    « Saint-Étienne », "st etienne" and "SAINT ETIENNE" are one key."""
    text = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    words = re.sub(r"[^a-z0-9]+", " ", text).split()
    return " ".join(ABBREVIATIONS.get(word, word) for word in words)


class Place(NamedTuple):  # a tuple: 35,000 of them are built at load
    type: str  # "region", "departement" or "commune"
    name: str
    key: str  # normalize(name)
    region: str  # the platform's region slug
    departement: str = ""
    insee: str = ""
    postal_codes: tuple[str, ...] = ()
    population: int = 0

    def as_json(self, index: "Index") -> dict:
        row = {"type": self.type, "label": self.name, "region": self.region}
        if self.type == "region":
            return row
        dep = index.departements[self.departement]
        lat, lng = index.centre(self.departement)
        row.update(departement=self.departement, departement_name=dep.name, lat=round(lat, 5), lng=round(lng, 5))
        if self.type == "commune":
            row.update(insee=self.insee, postal_codes=list(self.postal_codes))
        return row


class Index:
    def __init__(self, data: dict):
        self.regions = {slug: Place("region", name, normalize(name), slug) for slug, name in data["regions"]}
        self.regions[build.OVERSEAS] = Place("region", "Outre-mer", "outre mer", build.OVERSEAS)
        self.departements = {code: Place("departement", name, normalize(name), region, departement=code)
                             for code, name, region in data["departements"]}
        self.communes = {insee: Place("commune", name, key, region, dep, insee, tuple(postal), population)
                         for insee, name, key, dep, region, postal, population in data["communes"]}
        self.outlines = data["map"]["departements"]
        self.viewbox = tuple(data["map"]["viewBox"])
        # Sorted keys for prefix search by bisection; the scan for words inside names is linear.
        self._sorted = sorted(((place.key, place) for place in self._all()), key=lambda item: item[0])
        self._keys = [key for key, _ in self._sorted]
        self._postal = sorted(((code, place) for place in self.communes.values() for code in place.postal_codes),
                              key=lambda item: item[0])
        self._postal_keys = [code for code, _ in self._postal]

    def _all(self):
        yield from self.regions.values()
        yield from self.departements.values()
        yield from self.communes.values()

    def centre(self, departement: str) -> tuple[float, float]:
        """Where a pin starts in a département: the centre of its outline (overseas: its
        chef-lieu's rough position is unknown to the data, so none)."""
        from .projection import unproject

        outline = self.outlines.get(departement)
        if outline is None:
            return OVERSEAS_CENTRES.get(departement, (0.0, 0.0))
        return unproject(*outline["centre"])

    def with_postal_prefix(self, digits: str):
        i = bisect_left(self._postal_keys, digits)
        while i < len(self._postal_keys) and self._postal_keys[i].startswith(digits):
            yield self._postal[i][1]
            i += 1

    def prefixed(self, key: str):
        i = bisect_left(self._keys, key)
        while i < len(self._keys) and self._keys[i].startswith(key):
            yield self._sorted[i][1]
            i += 1


# Overseas départements are not drawn; their pins start at the prefecture (INSEE chef-lieu).
OVERSEAS_CENTRES = {"971": (16.2411, -61.5331), "972": (14.6161, -61.0588), "973": (4.9372, -52.3260),
                    "974": (-20.8789, 55.4481), "975": (46.7811, -56.1764), "976": (-12.7806, 45.2278)}


@cache
def index() -> Index:
    return Index(build.load())


RANK = {"region": 0, "departement": 1, "commune": 2}


@lru_cache(maxsize=2048)
def suggest(query: str, types: tuple[str, ...] = TYPES, limit: int = 8) -> tuple[Place, ...]:
    """Best first: a name that starts with the query (regions, then départements, then
    communes by population), then names with a word that starts with it ("loir" finds
    Montoire-sur-le-Loir). Digits: a département number, a postal code or an INSEE code."""
    places = index()
    key = normalize(query)
    if not key:
        return ()
    found: dict[int, tuple] = {}

    def add(place: Place, level: int) -> None:
        if place.type in types and id(place) not in found:
            found[id(place)] = ((level, RANK[place.type], -place.population, place.key), place)

    if key.replace(" ", "").isdigit():
        digits = key.replace(" ", "")
        if digits in places.departements:
            add(places.departements[digits], 0)
        if digits in places.communes:
            add(places.communes[digits], 0)
        for commune in places.with_postal_prefix(digits):
            add(commune, 1)
    else:
        code = key.upper().replace(" ", "")
        if code in places.departements:  # "2a", "2 B"
            add(places.departements[code], 0)
        for place in places.prefixed(key):
            add(place, 0 if place.key == key else 1)
        if len(found) < limit:
            needle = " " + key
            for place in places._all():
                if needle in " " + place.key:
                    add(place, 2)
    return tuple(place for _, place in sorted(found.values(), key=lambda item: item[0])[:limit])


def resolve(text: str) -> Place | None:
    """What a place typed without choosing a suggestion means: a region, a département or a
    commune whose whole name it is (the most populous commune of that name). None otherwise."""
    key = normalize(text)
    if not key:
        return None
    places = index()
    exact = [place for place in places.prefixed(key) if place.key == key]
    return min(exact, key=lambda p: (RANK[p.type], -p.population)) if exact else None


def describe(*, region: str = "", departement: str = "", commune: str = "") -> str:
    """The words for a search's place, for the search bar of its results page."""
    places = index()
    if commune:
        return commune
    if departement in places.departements:
        return f"{places.departements[departement].name} ({departement})"
    if region in places.regions:
        return places.regions[region].name
    return ""


def commune(insee: str) -> Place | None:
    return index().communes.get(insee)


def communes_named(name: str, departement: str = "") -> list[Place]:
    key = normalize(name)
    return [place for place in index().prefixed(key)
            if place.key == key and place.type == "commune" and (not departement or place.departement == departement)]
