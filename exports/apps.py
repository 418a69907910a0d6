from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    """Exports know no list of their own: the apps that own one register it
    (`exports.registry.register`) from their `AppConfig.ready()`, e.g. `bookings.export_kinds`."""

    name = "exports"
    verbose_name = _("Exports de listes")
