from django.apps import AppConfig


class ExperiencesConfig(AppConfig):
    name = "experiences"

    def ready(self) -> None:
        from django.urls import reverse
        from django.utils import timezone

        from domains.services import register_offer_type

        from . import services
        from .models import Experience

        register_offer_type(
            Experience, check=services.submission_problems,
            listener=lambda experience, now: services.sync_sessions_if_published(
                experience=experience, today=timezone.localdate(now)),
            dashboard_url=lambda experience: reverse("experience_wizard",
                                                     kwargs={"pk": experience.pk, "step": "soumettre"}))
