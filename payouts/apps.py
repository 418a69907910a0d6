from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayoutsConfig(AppConfig):
    name = "payouts"
    verbose_name = _("Paiements et versements")

    def ready(self) -> None:
        from bookings import hooks

        from .refunds import refund_booking

        # A cancellation that owes money back asks us, on its commit, to refund it (bookings/hooks.py).
        hooks.register_refund_taker(refund_booking)
