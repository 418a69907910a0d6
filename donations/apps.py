from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonationsConfig(AppConfig):
    name = "donations"
    verbose_name = _("Dons au patrimoine")

    def ready(self) -> None:
        from payouts import ledger

        from .allocation import allocate_ended

        # The ended posting tells us, inside its transaction, which bookings gave (payouts/ledger.py).
        ledger.booking_ended.connect(allocate_ended, dispatch_uid="donations.allocate_ended")
