"""The heritage foundations, the share each receives, and what was transferred to them
(docs/payouts.md, "Donations"). The amounts themselves live in the ledger (`donation_payable`);
these rows only say how a booking's donation is divided and what left our bank."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bookings.models import Booking


class Foundation(models.Model):
    name = models.CharField(_("nom"), max_length=150, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    website = models.URLField(_("site web"), blank=True)
    active = models.BooleanField(_("active"), default=True,
                                 help_text=_("Une fondation inactive ne reçoit rien des réservations terminées ensuite."))
    weight = models.PositiveIntegerField(
        _("poids"), default=1,
        help_text=_("Part relative du don : deux fondations de poids 1 et 3 reçoivent 25 % et 75 %. "
                    "Un changement vaut pour les réservations terminées après lui."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("fondation")
        verbose_name_plural = _("fondations")

    def __str__(self) -> str:
        return self.name


class DonationAllocation(models.Model):
    """The weight in force for one foundation when one booking ended: its donation (and any
    later correction of it) is divided by these weights, whatever staff change afterwards."""

    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="donation_allocations")
    foundation = models.ForeignKey(Foundation, on_delete=models.PROTECT, related_name="allocations")
    weight = models.PositiveIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("répartition d'un don")
        verbose_name_plural = _("répartitions des dons")
        constraints = [models.UniqueConstraint(fields=["booking", "foundation"], name="one_allocation_per_foundation")]

    def __str__(self) -> str:
        return _("Poids %(weight)s") % {"weight": self.weight}


class DonationTransfer(models.Model):
    """Staff's record that a month's donations left our bank for a foundation."""

    foundation = models.ForeignKey(Foundation, on_delete=models.PROTECT, related_name="transfers",
                                   verbose_name=_("fondation"))
    month = models.DateField(_("mois"), help_text=_("Le 1er du mois des dons virés."))
    amount = models.DecimalField(_("montant"), max_digits=12, decimal_places=2)
    transferred_on = models.DateField(_("date du virement"))
    bank_reference = models.CharField(_("référence bancaire"), max_length=100)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    editable=False, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "foundation__name"]
        verbose_name = _("virement aux fondations")
        verbose_name_plural = _("virements aux fondations")

    def __str__(self) -> str:
        return f"{self.foundation} {self.month:%m/%Y}"

    def clean(self) -> None:
        if self.month:  # a month is named by its 1st, whatever day staff picked
            self.month = self.month.replace(day=1)
