"""`SeoHead.html()` writes the same <head> tags as the template it replaced (issue 14),
escaping included, whatever the texts hold."""
import random

from django.template import engines
from django.utils.safestring import mark_safe

from core.seo import SeoHead

# templates/site/seo_head.html as it was, kept here only to compare against.
OLD_TEMPLATE = """{# The page's description, canonical URL, languages, link previews and JSON-LD: `seo` is a public.seo.SeoHead built by the view. #}
<meta name="description" content="{{ seo.description }}">
<link rel="canonical" href="{{ seo.canonical }}">
{% for hreflang, url in seo.alternates %}<link rel="alternate" hreflang="{{ hreflang }}" href="{{ url }}">
{% endfor %}<meta property="og:site_name" content="Alma Heritage">
<meta property="og:type" content="{{ seo.og_type }}">
<meta property="og:title" content="{{ seo.title }}">
<meta property="og:description" content="{{ seo.description }}">
<meta property="og:url" content="{{ seo.canonical }}">
<meta property="og:locale" content="{{ seo.locale }}">
{% for locale in seo.locale_alternates %}<meta property="og:locale:alternate" content="{{ locale }}">
{% endfor %}<meta property="og:image" content="{{ seo.image }}">
<meta property="og:image:alt" content="{{ seo.image_alt }}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:title" content="{{ seo.title }}">
<meta name="twitter:description" content="{{ seo.description }}">
<meta name="twitter:image" content="{{ seo.image }}">
<meta name="twitter:image:alt" content="{{ seo.image_alt }}">
{{ seo.json_ld }}
"""
TEXTS = ['Château « Les Tours » & fils', 'a<b>"c"&\'d', "é ü ß", "", "</script><script>x()</script>", "&amp;",
         "https://almaheritage.example/fr/domaines/le-moulin/?page=2&x=1"]


def test_the_head_is_the_templates_on_any_text():
    template = engines["django"].from_string(OLD_TEMPLATE)
    rng = random.Random(14)
    for _ in range(400):
        seo = SeoHead(title=rng.choice(TEXTS), description=rng.choice(TEXTS), canonical=rng.choice(TEXTS),
                      alternates=[(rng.choice(TEXTS), rng.choice(TEXTS)) for _ in range(rng.randint(0, 3))],
                      image=rng.choice(TEXTS), image_alt=rng.choice(TEXTS), og_type=rng.choice(TEXTS),
                      locale=rng.choice(TEXTS), locale_alternates=[rng.choice(TEXTS) for _ in range(rng.randint(0, 2))],
                      json_ld=mark_safe(rng.choice(TEXTS)))
        assert seo.html() == template.render({"seo": seo})
