from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .languages import switch_links


def site(request):
    return {"SITE_URL": settings.SITE_URL}


def languages(request):
    """The header's language links, computed only when a template prints them."""
    return {"language_links": SimpleLazyObject(lambda: switch_links(request))}
