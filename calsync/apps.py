from django.apps import AppConfig


class CalsyncConfig(AppConfig):
    name = "calsync"
