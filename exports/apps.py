from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "exports"
    verbose_name = _("Exports")

    def ready(self) -> None:
        # The owner's lists register their export kinds (see `registry`).
        from . import owner_lists  # noqa: F401
