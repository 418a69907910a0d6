from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "public"
    verbose_name = _("Site des voyageurs")

    def ready(self) -> None:
        # Any change a search page shows bumps the catalogue version (public/pagecache.py).
        from .pagecache import connect_signals

        connect_signals()
