from django import template
from django.conf import settings
from django.templatetags.static import static

from public.formhtml import search_bar_html, search_filters_html

register = template.Library()


@register.filter
def media(path: str) -> str:
    return f"{settings.MEDIA_URL}{path}" if path else ""


@register.filter
def photo_src(photo, size: str = "card") -> str:
    """URL of a photo's `size` rendition, falling back to the full image; "" when none, a
    placeholder while the worker resizes it (domains/photos.py: `full` is still the upload)."""
    if not photo:
        return ""
    if not photo.is_ready:
        return static("img/photo-pending.svg")
    for name in (size, "full"):
        image = getattr(photo, name, None)
        if image:
            return image.url
    return ""


@register.simple_tag
def search_bar(form, place_label=""):
    """The search bar of the home and search pages (public/formhtml.py)."""
    return search_bar_html(form, place_label or "")


@register.simple_tag
def search_filters(form, open_=False, active=0):
    """The search page's « Filtres » (public/formhtml.py)."""
    return search_filters_html(form, open_=bool(open_), active=active or 0)
