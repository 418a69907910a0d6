"""What a public page says about itself to search engines and link previews, built by the
view and printed in the page's head by `SeoHead.html()`: the meta description, the canonical URL
(with its page number), hreflang alternates (fr, en, x-default), Open Graph and Twitter
tags, and JSON-LD blocks (the offers' schema.org builders are in public/seo.py).

Nothing here depends on the visitor, so a page stays cacheable per language."""
import json
import re
from dataclasses import dataclass, field
from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .escaping import escape
from .languages import codes, in_language, split_prefix

DESCRIPTION_LENGTH = 160
_HEADING, _BULLET = re.compile(r"^\s*#{2,3}\s"), re.compile(r"^\s*-\s+")
# Query parameters that number a page of the same content (reviews, lists): kept in the
# canonical URL when past the first page. Every other parameter (dates, tracking) is dropped.
PAGE_PARAMETERS = ("page", "avis")
OG_LOCALES = {"fr": "fr_FR", "en": "en_GB"}
DEFAULT_IMAGE = "img/social-default.png"


def absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else f"{settings.SITE_URL}{path}"


def describe(text: str, length: int = DESCRIPTION_LENGTH) -> str:
    """A meta description from an offer's plain text: headings and "- " of the tiny
    markup and line breaks removed, cut at a word before `length` characters, with an ellipsis when cut."""
    lines = (_BULLET.sub("", line) for line in (text or "").splitlines() if not _HEADING.match(line))
    plain = " ".join(" ".join(lines).split())
    if len(plain) <= length:
        return plain
    cut = plain[:length - 1]
    if " " in cut:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;:.–—-") + "…"


def _page_query(request: HttpRequest, parameters: tuple[str, ...]) -> str:
    kept = []
    for name in parameters:
        value = request.GET.get(name, "")
        if value.isdigit() and len(value) < 6 and int(value) > 1:
            kept.append((name, str(int(value))))
    return "?" + urlencode(kept) if kept else ""


@cache
def _default_image() -> str:
    return static(DEFAULT_IMAGE)  # the same for every page: look the hashed name up once


def json_ld_script(data: list[dict]) -> SafeString:
    """JSON-LD blocks, escaped for the inside of a <script> element: "<", ">" and "&" as
    JSON escapes (as Django's json_script), so a text containing "</script>" cannot end it."""
    blocks = []
    for item in data:
        text = json.dumps(item, ensure_ascii=False, separators=(",", ":"), default=str)
        text = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
        blocks.append(f'<script type="application/ld+json">{text}</script>')
    return mark_safe("\n".join(blocks))  # noqa: S308 — escaped above


@dataclass
class SeoHead:
    title: str
    description: str
    canonical: str
    alternates: list[tuple[str, str]]  # (hreflang, absolute URL), x-default last
    image: str
    image_alt: str = ""
    og_type: str = "website"
    locale: str = "fr_FR"
    locale_alternates: list[str] = field(default_factory=list)
    json_ld: SafeString = SafeString("")

    def html(self) -> SafeString:
        """The <head> tags, written from Python: through a template they cost the search page
        ~0.4 ms a request (issue 14). The same markup as the template it replaced
        (core/tests/test_seo.py compares them)."""
        e = escape
        title, description, canonical, image, image_alt = (
            e(self.title), e(self.description), e(self.canonical), e(self.image), e(self.image_alt))
        alternates = "".join(f'<link rel="alternate" hreflang="{e(hreflang)}" href="{e(url)}">\n'
                             for hreflang, url in self.alternates)
        locales = "".join(f'<meta property="og:locale:alternate" content="{e(locale)}">\n'
                          for locale in self.locale_alternates)
        return mark_safe(
            f'\n<meta name="description" content="{description}">\n<link rel="canonical" href="{canonical}">\n'
            f'{alternates}<meta property="og:site_name" content="Alma Heritage">\n'
            f'<meta property="og:type" content="{e(self.og_type)}">\n<meta property="og:title" content="{title}">\n'
            f'<meta property="og:description" content="{description}">\n<meta property="og:url" content="{canonical}">\n'
            f'<meta property="og:locale" content="{e(self.locale)}">\n{locales}<meta property="og:image" content="{image}">\n'
            f'<meta property="og:image:alt" content="{image_alt}">\n<meta name="twitter:card" content="summary_large_image">\n'
            f'<meta name="twitter:title" content="{title}">\n<meta name="twitter:description" content="{description}">\n'
            f'<meta name="twitter:image" content="{image}">\n<meta name="twitter:image:alt" content="{image_alt}">\n'
            f'{e(self.json_ld)}\n')


def seo_head(request: HttpRequest, *, title: str, description: str, image: str = "", image_alt: str = "",
             og_type: str = "website", json_ld: list[dict] = (), breadcrumbs: list[tuple[str, str]] = (),
             page_parameters: tuple[str, ...] = PAGE_PARAMETERS, query: str | None = None) -> SeoHead:
    """`breadcrumbs` are (name, path) from the home page to this page; `query` replaces the
    page-number query string (the search page keeps its filters)."""
    query = _page_query(request, page_parameters) if query is None else query
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    urls = {code: absolute(in_language(request.path, code)) + query for code in codes()}
    # x-default is the unprefixed address, which redirects each visitor to their language
    # (as the sitemap framework writes it).
    alternates = [*urls.items(), ("x-default", absolute(split_prefix(request.path)[1]) + query)]
    data = list(json_ld)
    if breadcrumbs:
        data.append(breadcrumb_list(breadcrumbs))
    return SeoHead(
        title=title, description=description, canonical=urls.get(language, absolute(request.path) + query),
        alternates=alternates, image=absolute(image or _default_image()), image_alt=image_alt or title,
        og_type=og_type, locale=OG_LOCALES.get(language, "fr_FR"),
        locale_alternates=[OG_LOCALES[code] for code in codes() if code != language and code in OG_LOCALES],
        json_ld=json_ld_script(data))



def breadcrumb_list(crumbs: list[tuple[str, str]]) -> dict:
    return {"@context": "https://schema.org", "@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": position, "name": str(name), "item": absolute(path)}
        for position, (name, path) in enumerate(crumbs, start=1)]}


def home_crumb() -> tuple[str, str]:
    return (_("Accueil"), reverse("home"))


def for_page(request: HttpRequest, *, title: str, description: str = "", og_type: str = "website") -> SeoHead:
    """A page that is neither an offer nor the search: content pages, contact, help, gift vouchers."""
    return seo_head(request, title=title, description=describe(description or title), og_type=og_type,
                    breadcrumbs=[home_crumb(), (title, request.path)])
