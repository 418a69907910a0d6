from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The bottom layer: utilities every app uses (mail, images, money, Paris dates, ranges).
    It imports no other app of the project."""

    name = "core"
    verbose_name = "Core"
