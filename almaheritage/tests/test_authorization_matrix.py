"""The authorization matrix (docs/security.md#authorization-matrix): every URL of the project
that takes an object id, slug or token, requested with GET and POST by each kind of person, must
answer what its row in authz_rows.py says. The rows are checked against the URL conf, so a URL
added without its row fails here and says which row to add.

One world (authz_world.py) is built once for the module; every request runs in a savepoint
rolled back after it, so a POST that cancels a booking or deletes a feed leaves the world as it
was for the next cell."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from devtools.testing import PUBLISHABLE_KEY, SECRET_KEY, WEBHOOK_SECRET

from .authz_rows import ACTORS, ROWS, Row
from .authz_world import World, build_world

pytestmark = pytest.mark.django_db


# --- The URL conf's side ---------------------------------------------------------------------

def _is_project_code(module: str) -> bool:
    """The view is ours, not Django's admin (its ModelAdmin views check the model permissions
    the staff groups give) nor allauth's: those are other projects' code, tested there."""
    spec = importlib.util.find_spec(module.split(".")[0])
    origin = spec and (spec.origin or next(iter(spec.submodule_search_locations or []), None))
    if not origin:
        return False
    path = Path(origin).resolve()
    return path.is_relative_to(Path(settings.BASE_DIR).resolve()) and ".venv" not in path.parts


def parameterised_urls(resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""):
    """(URL name, route) of every pattern with a parameter whose view is the project's."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            yield from parameterised_urls(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.pattern.regex.groups:
            if _is_project_code(pattern.lookup_str):
                name = pattern.name and ":".join(part for part in (namespace, pattern.name) if part)
                yield name, prefix + str(pattern.pattern)


def test_every_url_with_an_id_has_its_row():
    rows = {row.name for row in ROWS}
    missing = [(name, route) for name, route in parameterised_urls() if name not in rows]
    assert not missing, "\n".join(
        f"The URL {route!r} ({name or 'no name: give it one'}) has no row in almaheritage/tests/authz_rows.py. "
        f"Add one, e.g.  row({name!r}, \"<world attribute>\", get=\"login 200 404 404 404 404 404\", "
        f"post=\"login …\"),  (docs/security.md#authorization-matrix)" for name, route in missing)


def test_every_row_is_a_url_of_the_project():
    names = {name for name, _route in parameterised_urls()}
    assert not [row.name for row in ROWS if row.name not in names], "rows for URLs that are gone or have no id"


# --- The requests ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, localstripe_url):
    """Built once, rolled back after the module (the tests' own transactions nest in this one)."""
    stripe = override_settings(STRIPE_API_BASE=localstripe_url, STRIPE_SECRET_KEY=SECRET_KEY,
                               STRIPE_PUBLISHABLE_KEY=PUBLISHABLE_KEY, STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
                               STRIPE_JS_URL=f"{localstripe_url}/js.stripe.com/v3/")
    with django_db_blocker.unblock(), stripe, transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def _actor(world: World, actor: str, row: Row):
    if actor == "staff_in_group":
        return world.staff_in[row.group]
    return getattr(world, actor)


def _outcome(response) -> str:
    """What a cell compares: the status, or where a redirect goes when it is a login or the
    "become an owner" page (a 302 elsewhere stays "302")."""
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith(reverse("account_login")) or location.startswith(reverse("admin:login")):
            return "login"
        if location.startswith(reverse("become_owner")):
            return "owner"
    return str(response.status_code)


def _matches(expected: str, outcome: str) -> bool:
    return expected == outcome or (expected in ("2xx", "3xx", "4xx") and outcome[0] == expected[0]
                                   and outcome.isdigit())


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="replace")


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_row(row: Row, world: World):
    url = reverse(row.name, args=[world.resolve(arg) for arg in row.args])
    wrong = []
    for method, expected_cells in (("GET", row.get), ("POST", row.post)):
        for actor, expected in zip(ACTORS, expected_cells, strict=True):
            client = Client(raise_request_exception=False)
            user = _actor(world, actor, row)
            with transaction.atomic():
                if user is not None:
                    client.force_login(user)
                response = (client.get(f"{url}?{row.query}" if row.query else url) if method == "GET" else
                            client.post(url, data=row.data(world) if row.data else {}))
                transaction.set_rollback(True)
            outcome = _outcome(response)
            if not _matches(expected, outcome):
                error = f" ({response.exc_info[1]!r})" if getattr(response, "exc_info", None) else ""
                wrong.append(f"{method} {url} as {actor}: expected {expected}, got {outcome}{error}")
            elif outcome.startswith("2") and actor not in ("traveller", "owner"):
                body = _body(response)
                wrong += [f"{method} {url} as {actor} shows {secret} ({value!r})" for secret in row.secrets
                          if (value := str(world.resolve(secret))) and value in body]
    assert not wrong, f"row {row.id}:\n" + "\n".join(wrong)
