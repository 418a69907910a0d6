"""The `django.contrib.sites` row allauth's emails name ("Bonjour, c'est … !"): kept equal to
SITE_URL and the platform's name after every migrate, never the "example.com" Django creates."""
from urllib.parse import urlsplit

from django.conf import settings

SITE_NAME = "Alma Heritage"


def sync_site_with_settings(*, using: str = "default", **_signal_kwargs) -> None:
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.SITE_URL).netloc or "localhost"
    Site.objects.using(using).update_or_create(pk=settings.SITE_ID, defaults={"domain": domain, "name": SITE_NAME})
    Site.objects.clear_cache()
