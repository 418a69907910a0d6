"""Hostile input on every page: no 500, ever.

The matrix is generated, not listed: every URL pattern of the URL conf (but the admin) is resolved with ids
taken from the demo (`seed_demo`), as anonymous, traveller, owner and staff. For every page
that answers, each GET parameter it knows (the inputs of its GET forms, the query keys of its
own links, the keys its view module reads from `request.GET`) gets hostile values one at a
time, and every POST form on the page is posted with hostile values in all its fields. Each
request runs in a savepoint, so a POST changes nothing for the next one. All failures are
collected and reported together.

The admin is fuzzed as staff, from its registry rather than the URL conf: every registered
model's changelist (its filter, sort, search, pagination and date-hierarchy parameters, its
forms and each of its actions on hostile ids), add and change pages (hostile initial data in
the query string, the form posted with hostile values), its other pages and custom views,
the admin's own pages and its autocomplete endpoint."""
import importlib
import inspect
import os
import re
import time
from html import unescape
from http.cookies import SimpleCookie
from itertools import islice
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from bookings.models import Booking
from calsync.models import Feed
from conftest import activate_totp
from domains.models import Domain, Revision
from experiences.models import Experience, Session
from lodgings.models import Lodging, Unit
from public.models import ContactMessage

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

HOSTILE = ["\x00", "A" * 3000, "-1", "99999999999999999999", "2027-02-30", "9999-12-31", "0001-01-01",
           "9999-12", "99999999999999999999-12", "🏰\u202e", "1e308"]
ARRAY = ["1", "2"]  # a parameter given twice
POST_HOSTILE = ["\x00", "A" * 6000, "-99999999999999999999", "9999-12-31", "🏰\u202e", ""]
ROLES = {"anonymous": None, "traveller": "lucie@demo.almaheritage.fr", "owner": "helene@demo.almaheritage.fr",
         "staff": "equipe@demo.almaheritage.fr"}
# Routes that leave the site or stream files are still requested; only these are skipped:
SKIP_NAMES = {"account_logout", "set_language"}
SKIP_PREFIXES = ("/media/", "/static/", "/__")
ATTEMPTS_PER_ROUTE = 6
GET_KEYS = re.compile(r"""GET(?:\.get|\.getlist)?\s*[(\[]\s*["'](\w+)["']""")
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
FIELD = re.compile(r"""<(?:input|select|textarea)\b[^>]*\bname=["']([^"']+)["']""", re.I)
ATTR = re.compile(r"""(\w+)=["']([^"']*)["']""")
SELF_LINK = re.compile(r"""href=["']\?([^"']*)["']""")


def patterns(resolver=None, prefix="", kwargs=()):
    """(route with <name> placeholders, url name, callback) for every pattern, included ones too."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from patterns(entry, route, kwargs)
        elif isinstance(entry, URLPattern):
            yield route, entry.name, entry.callback


def sample_values() -> dict[str, list[str]]:
    """Candidate values for each kind of path parameter, from the seeded demo: a few of each
    model, so that each role finds one it may see."""
    owner = User.objects.get(email=ROLES["owner"])
    owned = {Domain: "owner", Lodging: "domain__owner", Unit: "lodging__domain__owner",
             Experience: "domain__owner", Session: "experience__domain__owner", Booking: "owner",
             Feed: "unit__lodging__domain__owner"}
    ints = []
    # The owner's own objects first: a route finds one it may see in a few attempts.
    for model, path in owned.items():
        ints += [str(pk) for pk in model.objects.filter(**{path: owner}).order_by("pk").values_list("pk", flat=True)[:1]]
    for model in (Revision, ContactMessage, User):
        ints += [str(pk) for pk in model.objects.order_by("pk").values_list("pk", flat=True)[:1]]
    published = {"status": "published"}
    slugs = ["description", *Domain.objects.filter(**published).values_list("slug", flat=True)[:1],
             *Lodging.objects.filter(**published).values_list("slug", flat=True)[:1],
             *Experience.objects.filter(**published).values_list("slug", flat=True)[:1], "qui-sommes-nous",
             "chambres", "periode", "prix"]
    return {"int": list(dict.fromkeys(ints)), "reference": list(Booking.objects.values_list("reference", flat=True)[:8]),
            "slug": list(dict.fromkeys(slugs)), "str": ["x"]}


PLACEHOLDER = re.compile(r"<(?:(\w+):)?(\w+)>")


def clean_route(route: str) -> str | None:
    """Regex routes (admin, media) keep only what is plain; None for those we cannot fill."""
    if route.startswith("^"):
        route = route.lstrip("^").rstrip("$").replace("\\Z", "")
        if re.search(r"[()\[\]*+?\\]", route):
            return None
    return route


def fills(route: str, samples) -> list[str]:
    """Concrete paths for a route: each placeholder from the candidates of its converter."""
    names = PLACEHOLDER.findall(route)
    if not names:
        return ["/" + route]
    paths = []
    for index in range(max(len(samples["int"]), len(samples["slug"]))):
        path = route
        for converter, name in names:
            kind = "int" if converter == "int" else ("reference" if "reference" in name else
                                                     "slug" if converter == "slug" or name in ("slug", "step") else
                                                     "int" if name.endswith(("id", "pk")) else "str")
            pool = samples[kind] or ["1"]
            path = PLACEHOLDER.sub(pool[index % len(pool)], path, count=1)
        paths.append("/" + path)
    return list(dict.fromkeys(paths))


def view_get_keys(callback) -> set[str]:
    func = inspect.unwrap(getattr(callback, "view_class", callback))
    module = importlib.import_module(func.__module__)
    try:
        return set(GET_KEYS.findall(inspect.getsource(module)))
    except (OSError, TypeError):
        return set()


def page_get_keys(html: str) -> set[str]:
    keys = set()
    for attrs, body in FORM.findall(html):
        if dict(ATTR.findall(attrs)).get("method", "get").lower() == "get":
            keys |= set(FIELD.findall(body))
    for query in SELF_LINK.findall(html):
        keys |= {key for key, _value in parse_qsl(unescape(query), keep_blank_values=True)}
    return keys


def post_forms(html: str, path: str) -> list[tuple[str, list[str]]]:
    forms = []
    for attrs, body in FORM.findall(html):
        attributes = dict(ATTR.findall(attrs))
        if attributes.get("method", "get").lower() != "post":
            continue
        action = unescape(attributes.get("action") or path)
        if urlsplit(action).netloc or not action.startswith(("/", "?")):
            continue
        action = path + action if action.startswith("?") else action
        fields = [name for name in dict.fromkeys(FIELD.findall(body)) if name != "csrfmiddlewaretoken"]
        forms.append((action, fields))
    return forms


class Fuzzer:
    def __init__(self):
        self.failures: list[str] = []
        self.requests = 0

    def request(self, client: Client, method: str, path: str, data) -> int | None:
        self.requests += 1
        cookies = SimpleCookie()
        cookies.update(client.cookies)
        try:
            with transaction.atomic():
                response = getattr(client, method)(path, data)
                transaction.set_rollback(True)  # a POST changes nothing for the next request
        except Exception as error:  # noqa: BLE001 — any exception is the 500 we are looking for
            self.failures.append(f"{method.upper()} {path} {shorten(data)}: {type(error).__name__}: {error}"[:400])
            return None
        finally:
            client.cookies = cookies
        # 503 is an answer (the payment page when Stripe is unreachable, as here); 500 is a crash.
        if response.status_code == 500:
            self.failures.append(f"{method.upper()} {path} {shorten(data)}: status 500")
        return response


def shorten(data) -> str:
    return repr({key: (value[:20] + "…" if isinstance(value, str) and len(value) > 20 else value)
                 for key, value in list(data.items())[:6]})


def reachable(fuzzer, client, route, samples) -> list[str]:
    """The concrete paths of a route this client may see (one per route is enough)."""
    for path in islice(fills(route, samples), ATTEMPTS_PER_ROUTE):
        response = fuzzer.request(client, "get", path, {})
        if response is not None and response.status_code == 200:
            return [path]
    return []


def fuzz_page(fuzzer, client, path, callback, html):
    keys = sorted(page_get_keys(html) | view_get_keys(callback))
    for value in HOSTILE:  # all the page's parameters at once, then each alone with the likeliest breakers
        fuzzer.request(client, "get", path, dict.fromkeys(keys, value))
    for key in keys:
        for value in ("99999999999999999999", "9999-12-31", "A" * 3000, ARRAY):
            fuzzer.request(client, "get", path, {key: value})
    for action, fields in post_forms(html, path):
        if not fields:
            fuzzer.request(client, "post", action, {})
            continue
        for value in POST_HOSTILE:
            fuzzer.request(client, "post", action, {field: value for field in fields})
        fuzzer.request(client, "post", action, {field: ARRAY for field in fields})


# ------------------------------------------------------------------------------- the admin

ADMIN_SKIP = {"logout", "login"}  # logging staff out ends the run; the login has its own tests
# Each parameter alone gets one of these, in turn, so that every value meets many parameters
# while a changelist costs a few dozen requests.
ADMIN_ROTATION = ["99999999999999999999", "9999-12-31", "A" * 3000, ARRAY, "-1", "abc", "0001-01-01", "\x00",
                  "99999999999999999999-12", "9999-12"]
ADMIN_KEYS = ["q", "o", "p", "all", "e", "_popup", "_to_field", "_changelist_filters"]
ADMIN_ALL_AT_ONCE = ["99999999999999999999", "9999-12-31", "A" * 3000, "-1", "99999999999999999999-12", ARRAY]
ADMIN_POST = ["A" * 6000, "-99999999999999999999", "9999-12-31", "9999-12", "", ARRAY]  # (NUL: refused by middleware)


def admin_pages() -> list[tuple[str, str, object]]:
    """(path, kind, model admin or None) for every admin page a superuser can open."""
    pages = [(reverse("admin:index"), "page", None), (reverse("admin:password_change"), "form", None),
             (reverse("admin:jsi18n"), "page", None)]
    pages += [(reverse("admin:app_list", args=[label]), "page", None)
              for label in sorted({model._meta.app_label for model in admin.site._registry})]
    for model, model_admin in admin.site._registry.items():
        first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        prefix = reverse("admin:index") + f"{model._meta.app_label}/{model._meta.model_name}/"
        for url in model_admin.get_urls():
            route = str(url.pattern)
            if PLACEHOLDER.search(route):
                if first is None:
                    continue
                route = PLACEHOLDER.sub(str(first), route)
            name = url.name or ""
            kind = ("changelist" if name.endswith("_changelist") else "form" if name.endswith(("_add", "_change"))
                    else "generic" if name.endswith(("_delete", "_history")) or not name else "page")
            pages.append((prefix + route, kind, model_admin))
        if first is not None:
            content_type = ContentType.objects.get_for_model(model)
            pages.append((reverse("admin:view_on_site", args=[content_type.pk, first]), "page", None))
    return pages


def autocomplete_requests() -> list[dict]:
    """The autocomplete endpoint with each autocomplete field's real names, then hostile ones."""
    real = []
    for model, model_admin in admin.site._registry.items():
        for field in model_admin.autocomplete_fields:
            real.append({"app_label": model._meta.app_label, "model_name": model._meta.model_name,
                         "field_name": field})
    hostile = [{"app_label": value, "model_name": value, "field_name": value, "term": value, "page": value}
               for value in ("A" * 3000, "99999999999999999999", "-1", ARRAY)]
    return [*({**base, "term": term, "page": page} for base in real
              for term, page in (("a", "99999999999999999999"), ("A" * 3000, "-1"), ("\x00", "abc"))), *hostile]


def admin_get_keys(kind: str, path: str, model_admin, html: str) -> list[str]:
    keys = page_get_keys(html)
    if model_admin is not None:
        keys |= set(ADMIN_KEYS) | view_get_keys(model_admin.get_urls)  # the app's own admin views
        if kind == "changelist" and model_admin.date_hierarchy:
            field = model_admin.date_hierarchy
            keys |= {f"{field}__year", f"{field}__month", f"{field}__day"}
        if path.endswith("/add/"):  # the add view takes initial values from the query string: relations
            relations = {field.name for field in model_admin.model._meta.get_fields() if field.is_relation}
            keys |= set(FIELD.findall(html)) & relations
    return sorted(keys - {"csrfmiddlewaretoken"})


def fuzz_admin_page(fuzzer, client, path, kind, model_admin, html, turn):
    keys = admin_get_keys(kind, path, model_admin, html)
    for value in ADMIN_ALL_AT_ONCE:
        fuzzer.request(client, "get", path, dict.fromkeys(keys, value))
    # The delete and history pages are Django's own, alike for every model: their parameters
    # all at once is enough, and their one form only deletes (posting it tests nothing).
    if kind == "generic":
        return
    for index, key in enumerate(keys):
        fuzzer.request(client, "get", path, {key: ADMIN_ROTATION[(turn + index) % len(ADMIN_ROTATION)]})
    for action, fields in post_forms(html, path):
        for value in ADMIN_POST:
            fuzzer.request(client, "post", action, {field: value for field in fields})
    if kind == "changelist":  # each action, on ids that are not ids (never "select across")
        request = fuzzer.request(client, "get", path, {})
        for index, name in enumerate(model_admin.get_actions(request.wsgi_request) if request is not None else ()):
            ids = ("A" * 300, "99999999999999999999", ["-1", "abc"])[(turn + index) % 3]
            fuzzer.request(client, "post", path, {"action": name, "_selected_action": ids, "index": "0",
                                                  "select_across": "0"})


def fuzz_the_admin(fuzzer) -> int:
    client = Client()
    # A superuser: the demo staff member's groups leave some admins out (403), fuzzed all the same.
    superuser = User.objects.create_superuser(email="fuzz-admin@example.fr", password="x-Secret-fuzz-1")
    client.force_login(activate_totp(superuser))
    pages = admin_pages()
    generic = 0
    for turn, (path, kind, model_admin) in enumerate(pages):
        if kind == "generic":  # Django's delete and history views, alike for every model: a third of them
            generic += 1
            if generic % 3:
                continue
        started, count = time.monotonic(), fuzzer.requests
        response = fuzzer.request(client, "get", path, {})
        if response is None or response.status_code != 200:
            continue
        fuzz_admin_page(fuzzer, client, path, kind, model_admin, response.content.decode(errors="replace"), turn)
        if os.environ.get("FUZZ_PROFILE"):
            print(f"{time.monotonic() - started:6.2f}s {fuzzer.requests - count:4d} {kind:10s} {path}")
    for data in autocomplete_requests():
        fuzzer.request(client, "get", reverse("admin:autocomplete"), data)
    return len(pages)


def test_no_hostile_input_on_any_page_gives_a_500():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    samples = sample_values()
    routes = [(clean_route(route), name, callback) for route, name, callback in patterns()]
    routes = [(route, name, callback) for route, name, callback in routes
              if route is not None and name not in SKIP_NAMES and not ("/" + route).startswith(SKIP_PREFIXES)]
    fuzzer = Fuzzer()
    seen = set()
    for email in ROLES.values():
        client = Client()
        if email:
            client.force_login(User.objects.get(email=email))
        for route, _name, callback in routes:
            if route.startswith("admin/"):  # fuzzed below, from the admin's registry
                continue
            for path in reachable(fuzzer, client, route, samples):
                if path in seen:  # a page every role sees is fuzzed once, by the first
                    continue
                seen.add(path)
                response = client.get(path)
                fuzz_page(fuzzer, client, path, callback, response.content.decode(errors="replace"))
    assert len(seen) >= 45, f"only {len(seen)} pages reached: the matrix lost its samples"
    failures = list(dict.fromkeys(fuzzer.failures))
    assert not failures, f"{len(failures)} of {fuzzer.requests} requests failed:\n" + "\n".join(failures[:60])


def test_no_hostile_input_in_the_admin_gives_a_500():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    fuzzer = Fuzzer()
    admin_count = fuzz_the_admin(fuzzer)
    assert admin_count >= 150, f"only {admin_count} admin pages: the registry walk lost its models"
    failures = list(dict.fromkeys(fuzzer.failures))
    if os.environ.get("FUZZ_PROFILE"):
        Path(os.environ["FUZZ_PROFILE"]).write_text("\n".join(failures))
    assert not failures, f"{len(failures)} of {fuzzer.requests} requests failed:\n" + "\n".join(failures[:80])
