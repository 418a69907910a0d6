from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayoutsConfig(AppConfig):
    name = "payouts"
    verbose_name = _("Paiements et versements")

    def ready(self) -> None:
        from bookings import hooks
        from touristtax import declaration

        from .ledger import tourist_tax_collected
        from .refunds import refund_booking

        # A cancellation that owes money back asks us, on its commit, to refund it (bookings/hooks.py).
        hooks.register_refund_taker(refund_booking)
        # The taxe de séjour declarations read their amounts from our ledger (touristtax/declaration.py).
        declaration.register_ledger_reader(tourist_tax_collected)
