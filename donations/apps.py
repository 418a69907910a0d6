from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class DonationsConfig(AppConfig):
    name = "donations"
    verbose_name = _("Dons au patrimoine")

    def ready(self) -> None:
        from payouts import ledger

        from .allocation import allocate_ended

        # The ended posting tells us, inside its transaction, which bookings gave (payouts/ledger.py).
        ledger.booking_ended.connect(allocate_ended, dispatch_uid="donations.allocate_ended")
        # The partners page's cached totals (selectors.partners_given) change with a donation
        # posted, a foundation or a transfer record saved.
        ledger.booking_ended.connect(_forget_given, dispatch_uid="donations.forget_given")
        for model in (self.get_model("Foundation"), self.get_model("DonationTransfer")):
            post_save.connect(_forget_given, sender=model, dispatch_uid=f"donations.forget_given.{model.__name__}")
            post_delete.connect(_forget_given, sender=model, dispatch_uid=f"donations.forget_given_del.{model.__name__}")


def _forget_given(sender=None, **kwargs) -> None:
    from .selectors import forget_given_so_far

    forget_given_so_far()
