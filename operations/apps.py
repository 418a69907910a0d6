from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running the platform: health endpoints, the record of periodic jobs and their alerts.
    It sits at the top of the graph beside demo_data: it reads no app's models, only Celery's
    signals and the beat schedule, so any app may be watched without knowing it."""

    name = "operations"
    verbose_name = _("Exploitation")

    def ready(self) -> None:
        from core.jobruns import register_recorder

        from . import jobs

        jobs.connect_signals()
        register_recorder(jobs.manual_run)
