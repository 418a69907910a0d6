"""The page in the other language. Every page below the /fr/ or /en/ prefix has the same
path in both languages (the slugs are French in both), so its twin is the path with the
other prefix: no URL resolving, and nothing per visitor, so anonymous pages stay cacheable
(the language switch is a link, not a CSRF-protected form)."""
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

# Native names: a visitor who cannot read the page's language still finds their own.
NATIVE_NAMES = {"fr": "Français", "en": "English"}


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str


def codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def split_prefix(path: str) -> tuple[str | None, str]:
    """("en", "/recherche/") for "/en/recherche/"; (None, path) when unprefixed."""
    for code in codes():
        if path == f"/{code}" or path.startswith(f"/{code}/"):
            return code, path[len(code) + 1:] or "/"
    return None, path


def in_language(path: str, code: str) -> str:
    """The same local path in `code` ("/fr/aide/" -> "/en/aide/"); an unprefixed path gets
    the prefix."""
    return f"/{code}{split_prefix(path)[1]}"


def _query_in_language(query: str, code: str) -> str:
    """Keeps the query string; a local `next` follows the switch (the login page's `next`
    would otherwise send an English visitor back to French)."""
    if not query:
        return ""
    pairs = [(key, in_language(value, code) if key == "next" and split_prefix(value)[0] else value)
             for key, value in parse_qsl(query, keep_blank_values=True)]
    return "?" + urlencode(pairs)


def page_urls(request: HttpRequest, *, with_query: bool = True) -> dict[str, str]:
    """{"fr": "/fr/…", "en": "/en/…"} for this request's page."""
    query = request.META.get("QUERY_STRING", "") if with_query else ""
    return {code: in_language(request.path, code) + _query_in_language(query, code) for code in codes()}


def switch_links(request: HttpRequest) -> list[LanguageLink]:
    """The header's links to this page in the other languages."""
    current = translation.get_language()
    return [LanguageLink(code, NATIVE_NAMES.get(code, code), url)
            for code, url in page_urls(request).items() if code != current]
