from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalsyncConfig(AppConfig):
    name = "calsync"
    verbose_name = _("Synchronisation des calendriers")

    def ready(self) -> None:
        # Before money moves, bookings asks for a fresh look at the unit's feeds.
        from bookings.signals import booking_confirmed, unit_commitment_pending

        from .services import on_booking_confirmed, on_unit_commitment_pending

        unit_commitment_pending.connect(on_unit_commitment_pending, dispatch_uid="calsync-precheck")
        # A block written while the payment went through: alerted as soon as it is confirmed.
        booking_confirmed.connect(on_booking_confirmed, dispatch_uid="calsync-double-booking-check")
