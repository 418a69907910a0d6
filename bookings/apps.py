from django.apps import AppConfig

from exports.registry import register


class BookingsConfig(AppConfig):
    name = "bookings"

    def ready(self) -> None:
        # Inside ready(): the export kinds read the bookings' models, loaded only now.
        from .export_kinds import BOOKINGS, CLIENTS

        register(BOOKINGS)
        register(CLIENTS)
