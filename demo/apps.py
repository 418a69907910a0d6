from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data of `make run` (`seed_demo`). The top of the dependency graph: it calls
    each app's own seeder, and nothing imports it."""

    name = "demo"
    verbose_name = "Demo"
