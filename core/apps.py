from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The bottom layer: utilities every app uses (mail, images, money, Paris dates, ranges).
    It imports no other app of the project."""

    name = "core"
    verbose_name = _("Plateforme")

    def ready(self) -> None:
        from . import logs

        logs.connect_celery_signals()  # the request id follows the tasks a request enqueues
