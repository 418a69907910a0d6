from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TouristTaxConfig(AppConfig):
    name = "touristtax"
    verbose_name = _("Taxe de séjour")
