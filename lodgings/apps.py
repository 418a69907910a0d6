from django.apps import AppConfig


class LodgingsConfig(AppConfig):
    name = "lodgings"
