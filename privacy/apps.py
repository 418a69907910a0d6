from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """A person's data: the "Mes données" export and the deletion of an account. The top of
    the graph below demo_data: it reads every app's rows about one person (privacy/sections.py)
    and nothing imports it."""

    name = "privacy"
    verbose_name = _("Données personnelles")
