from django.apps import AppConfig


class LodgingsConfig(AppConfig):
    name = "lodgings"

    def ready(self) -> None:
        from django.urls import reverse

        from domains.models import Domain
        from domains.services import register_offer_type

        from . import services
        from .models import Lodging

        register_offer_type(
            Lodging, check=services.submission_problems,
            listener=lambda lodging, now: services.refresh_search_columns(lodging=lodging),
            dashboard_url=lambda lodging: reverse("lodging_wizard", kwargs={"pk": lodging.pk, "step": "soumettre"}))
        # A domain published or hidden lists or unlists its lodgings' units.
        register_offer_type(Domain, listener=lambda domain, now: services.refresh_domain_lodgings(domain))
