import pytest

from domains.geography import Region
from geo import build, places, postal, projection

KNOWN_TOWNS = [("Paris", 48.8566, 2.3522, "75"), ("Versailles", 48.8049, 2.1204, "78"),
               ("Lyon", 45.7640, 4.8357, "69"), ("Marseille", 43.2965, 5.3698, "13"),
               ("Strasbourg", 48.5734, 7.7521, "67"), ("Brest", 48.3904, -4.4861, "29"),
               ("Lille", 50.6292, 3.0573, "59"), ("Ajaccio", 41.9192, 8.7386, "2A"), ("Bastia", 42.6973, 9.4509, "2B"),
               ("Tours", 47.3941, 0.6848, "37"), ("Montoire-sur-le-Loir", 47.7531, 0.8653, "41"),
               ("Perpignan", 42.6887, 2.8948, "66"), ("Bayonne", 43.4929, -1.4748, "64"),
               ("Belfort", 47.6380, 6.8628, "90"), ("Créteil", 48.7904, 2.4556, "94")]


@pytest.mark.parametrize(("town", "lat", "lng", "departement"), KNOWN_TOWNS)
def test_known_towns_land_in_their_departement(town, lat, lng, departement):
    outlines = places.index().outlines
    point = projection.project(lat, lng)
    inside = [code for code, outline in outlines.items()
              if projection.contains(projection.parse_path(outline["d"]), point)]
    assert inside == [departement], town


def test_unproject_inverts_project():
    lat, lng = projection.unproject(*projection.project(47.7531, 0.8653))
    assert (round(lat, 6), round(lng, 6)) == (47.7531, 0.8653)


def test_departement_centre_is_inside_it():
    index = places.index()
    for code in ("41", "37", "2A", "29"):
        point = projection.project(*index.centre(code))
        assert projection.contains(projection.parse_path(index.outlines[code]["d"]), point)


def test_region_slugs_are_the_platforms():
    assert {slug for slug in places.index().regions} == {value for value, _ in Region.choices}


@pytest.mark.parametrize(("typed", "expected"), [("Montoire", "Montoire-sur-le-Loir"), ("montoire sur le loir", "Montoire-sur-le-Loir"),
                                                 ("St-Etienne", "Saint-Étienne"), ("saint etienne", "Saint-Étienne"),
                                                 ("ÎLE-DE-FRANCE", "Île-de-France"), ("41", "Loir-et-Cher"),
                                                 ("2a", "Corse-du-Sud"), ("41800", "Montoire-sur-le-Loir")])
def test_suggestions_match_loosely(typed, expected):
    assert places.suggest(typed)[0].name == expected


def test_resolve_typed_place():
    assert places.resolve("loir et cher").departement == "41"
    assert places.resolve("Tours").insee == "37261"
    assert places.resolve("bretagne").type == "region"
    assert places.resolve("Montoire") is None


@pytest.mark.parametrize(("code", "departement", "insee", "ok"), [
    ("41800", "41", "", True), ("4180", "41", "", False), ("41800", "37", "", False), ("20000", "2A", "", True),
    ("20200", "2B", "", True), ("97100", "971", "", True), ("97200", "971", "", False), ("05110", "04", "04058", True),
    ("05110", "04", "", False), ("ABCDE", "41", "", False)])
def test_postal_code(code, departement, insee, ok):
    assert (postal.postal_code_problem(code, departement=departement, insee=insee) is None) is ok


def test_index_is_rebuilt_when_missing(tmp_path, settings):
    settings.GEO_INDEX_FILE = tmp_path / "places.json"
    assert build.load()["versions"] == build.source_versions()
    assert settings.GEO_INDEX_FILE.exists()


def test_suggestion_endpoint(client):
    response = client.get("/api/places", {"q": "Montoire"})
    assert response.status_code == 200
    assert "max-age" in response["Cache-Control"]
    first = response.json()["results"][0]
    assert (first["label"], first["insee"], first["departement"], first["region"], first["postal_codes"]) == (
        "Montoire-sur-le-Loir", "41149", "41", "centre-val-de-loire", ["41800"])
    assert len(client.get("/api/places", {"q": "sa", "limit": "20"}).json()["results"]) == 20
    only = client.get("/api/places", {"q": "loir", "types": "commune"}).json()["results"]
    assert {row["type"] for row in only} == {"commune"}


@pytest.mark.parametrize("params", [{}, {"q": "a"}, {"q": "é"}, {"q": "x" * 61}, {"q": "mont", "types": "pays"},
                                    {"q": "mont", "limit": "21"}, {"q": "mont", "limit": "abc"},
                                    {"q": "mont", "limit": "0"}])
def test_suggestion_endpoint_bad_input_is_400(client, params):
    assert client.get("/api/places", params).status_code == 400


def test_departements_map(client):
    response = client.get("/carte/departements.svg", {"focus": "41"})
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    assert b'id="d41"' in response.content and b"CC BY 4.0" in response.content
