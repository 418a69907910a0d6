from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpcentreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "helpcentre"
    verbose_name = _("Aide")
