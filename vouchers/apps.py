from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VouchersConfig(AppConfig):
    name = "vouchers"
    verbose_name = _("Bons cadeaux")

    def ready(self) -> None:
        from bookings import hooks as booking_hooks
        from bookings.models import Booking
        from bookings.signals import booking_confirmed
        from payouts import hooks as payment_hooks

        from . import checkout, sales

        # Bookings ask us, inside their transitions, to release or give back voucher money.
        booking_hooks.register_voucher_keeper(checkout)
        booking_confirmed.connect(checkout.booking_paid, sender=Booking, dispatch_uid="vouchers.booking_paid")
        # Voucher sales are PaymentIntents of their own kind on the one webhook.
        payment_hooks.register_intent_kind(sales.INTENT_KIND, sales.apply_intent)
        payment_hooks.register_checkout_panel(checkout.checkout_panel)
