"""Reads for the owner's "Paiements" tab."""
from decimal import Decimal

from django.db.models import DecimalField, F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from accounts.models import User
from bookings.models import Booking

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=12, decimal_places=2))


def owner_paid_bookings(*, owner: User) -> QuerySet[Booking]:
    """The owner's bookings that were paid (confirmed, possibly cancelled and refunded since),
    newest payment first; commission and net are the ones frozen at payment."""
    return (Booking.objects.filter(owner=owner, paid_at__isnull=False)
            .select_related("unit__lodging", "session__experience")
            .order_by("-paid_at", "-pk"))


def paid_totals(bookings: QuerySet[Booking]) -> dict[str, Decimal]:
    return bookings.aggregate(
        paid=Coalesce(Sum(F("amount_paid") + F("voucher_amount")), ZERO),
        commission=Coalesce(Sum("commission_amount"), ZERO),
        net=Coalesce(Sum("owner_net"), ZERO),
        refunded=Coalesce(Sum("refunded_amount"), ZERO),
    )
