from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from exports.registry import register


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = _("Réservations")

    def ready(self) -> None:
        # Inside ready(): the export kinds read the bookings' models, loaded only now.
        from .export_kinds import BOOKINGS, CLIENTS

        register(BOOKINGS)
        register(CLIENTS)

        from lodgings.services import register_suspension_conflict_finder

        from .availability import live_stay_references

        register_suspension_conflict_finder(live_stay_references)

        # Every save and delete of a booking, an imported block or a suspension rewrites the
        # unit's occupied-nights column in the same transaction (bookings/occupancy.py).
        from .occupancy import connect_signals

        connect_signals()

        # The dashboard's counts kept under the owner's bookings version (bookings/owner_aggregates.py).
        from django.db.models.signals import post_delete, post_save

        from .models import Booking
        from .owner_aggregates import booking_written

        post_save.connect(booking_written, sender=Booking, dispatch_uid="owner_aggregates_booking_saved")
        post_delete.connect(booking_written, sender=Booking, dispatch_uid="owner_aggregates_booking_deleted")
