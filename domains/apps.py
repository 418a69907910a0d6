from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class DomainsConfig(AppConfig):
    name = "domains"
    verbose_name = _("Domaines et labels")

    def ready(self) -> None:
        # Inside ready(): models can be imported only once the app registry is loaded.
        from accounts.signals import account_deleted

        from . import moderation, services
        from .models import Domain
        from .offer_types import register_offer_type

        register_offer_type(
            Domain, check=services.submission_problems, owner_path="owner",
            dashboard_url=lambda domain: reverse("domain_wizard", kwargs={"pk": domain.pk, "step": "soumettre"}))
        account_deleted.connect(moderation.withdraw_deleted_owners_offers, dispatch_uid="withdraw-deleted-owners-offers")
