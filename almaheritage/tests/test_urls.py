"""The order of almaheritage/urls.py is about speed (the pages most visitors ask for come
first), never about meaning: every address of the site reaches its own view whatever comes
before it. If two apps' patterns ever overlap, this fails and names them."""
import re
import uuid

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import LocalePrefixPattern, RoutePattern
from django.utils import translation

# Shadowed on purpose: the admin's login is the site's, with its rate limits and second factor.
INTENDED = {("/admin/login/", "login")}
SAMPLES = {"int": "7", "slug": "un-exemple", "str": "ABC123", "uuid": str(uuid.UUID(int=7)), "path": "a/b"}


def _routes(patterns, prefix=""):
    """(example path, pattern) for every pattern reached through route() patterns only."""
    for entry in patterns:
        if isinstance(entry.pattern, LocalePrefixPattern):
            part = entry.pattern.language_prefix
        elif isinstance(entry.pattern, RoutePattern):
            part = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES[m.group(1) or "str"], str(entry.pattern))
        else:
            continue  # regular expressions: the admin's and the media files'
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + part)
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + part, entry


def test_every_address_reaches_its_own_view_in_both_languages():
    checked, wrong = 0, []
    for language in ("fr", "en"):
        with translation.override(language):
            for path, pattern in _routes(get_resolver().url_patterns):
                match = resolve(path)
                checked += 1
                if (path, pattern.name) in INTENDED:
                    continue
                if match.func is not pattern.callback and getattr(match.func, "view_class", None) is not getattr(
                        pattern.callback, "view_class", object()):
                    wrong.append(f"{path}: {pattern.name} is shadowed by {match.url_name or match.view_name}")
    assert checked > 200 and not wrong, wrong
