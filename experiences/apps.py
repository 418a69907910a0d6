from django.apps import AppConfig
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExperiencesConfig(AppConfig):
    name = "experiences"
    verbose_name = _("Expériences")

    def ready(self) -> None:
        # Inside ready(): models can be imported only once the app registry is loaded.
        from domains.offer_types import register_offer_type

        from . import services
        from .models import Experience

        register_offer_type(
            Experience, check=services.submission_problems, owner_path="domain__owner",
            listener=lambda experience, now: services.sync_sessions_if_published(
                experience=experience, today=timezone.localdate(now)),
            dashboard_url=lambda experience: reverse("experience_wizard",
                                                     kwargs={"pk": experience.pk, "step": "soumettre"}))
