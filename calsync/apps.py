from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalsyncConfig(AppConfig):
    name = "calsync"
    verbose_name = _("Synchronisation des calendriers")

    def ready(self) -> None:
        from bookings import hooks
        from bookings.signals import booking_confirmed

        from .conflicts import on_booking_confirmed
        from .precheck import precheck_unit

        # Before an owner accepts or a traveller pays, a fresh look at the unit's feeds
        # (bookings/hooks.py says which commitments ask for it).
        hooks.register_unit_precheck(precheck_unit)
        # A block written while the payment went through: alerted as soon as it is confirmed.
        booking_confirmed.connect(on_booking_confirmed, dispatch_uid="calsync-double-booking-check")
