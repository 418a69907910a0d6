from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "public"
    verbose_name = _("Site des voyageurs")

    def ready(self) -> None:
        # Any change a search page shows bumps the catalogue version (public/pagecache.py).
        from . import fragments, pagecache

        pagecache.connect_signals()
        # The offer pages' fragments: every write they show bumps a token (public/fragments.py).
        fragments.connect_signals()
