from django.apps import AppConfig


class DemoDataConfig(AppConfig):
    """The demo data of `make run` (`seed_demo`). The top of the dependency graph: it calls
    each app's own seeder (`<app>/demo.py`), and nothing imports it.

    Not named `demo`: bin/makemessages runs manage.py from inside each app's directory, and
    Celery's Django fixup puts that directory first on sys.path, where `demo` would be the
    app's own demo.py."""

    name = "demo_data"
    verbose_name = "Demo data"
