from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class LodgingsConfig(AppConfig):
    name = "lodgings"
    verbose_name = _("Hébergements")

    def ready(self) -> None:
        # Inside ready(): models can be imported only once the app registry is loaded.
        from domains.models import Domain
        from domains.offer_types import register_offer_type

        from . import services
        from .models import Lodging

        register_offer_type(
            Lodging, check=services.submission_problems, owner_path="domain__owner",
            listener=lambda lodging, now: services.refresh_search_columns(lodging=lodging),
            dashboard_url=lambda lodging: reverse("lodging_wizard", kwargs={"pk": lodging.pk, "step": "soumettre"}))
        # A domain published or hidden lists or unlists its lodgings' units.
        register_offer_type(Domain, listener=lambda domain, now: services.refresh_domain_lodgings(domain))
