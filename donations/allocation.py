"""Which foundation gets what of a booking's donation.

When a booking's service ends, payouts/ledger.py credits its donation to `donation_payable`
and sends `booking_ended` inside the same transaction: we store the weights then in force
(`DonationAllocation`), so a weight changed later applies only to bookings ended after it.
Every donation_payable entry of the booking (the ended posting, a refund after the end) is
divided by those stored weights, exactly to the cent (largest remainder)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from .models import DonationAllocation, Foundation


def allocate_ended(sender=None, *, booking_ids: Sequence[int], now: datetime, **kwargs) -> None:
    """Receiver of `payouts.ledger.booking_ended`: the bookings just ended and gave something."""
    foundations = list(Foundation.objects.filter(active=True, weight__gt=0).order_by("pk"))
    already = set(DonationAllocation.objects.filter(booking_id__in=booking_ids).values_list("booking_id", flat=True))
    DonationAllocation.objects.bulk_create(
        [DonationAllocation(booking_id=booking_id, foundation=foundation, weight=foundation.weight, created_at=now)
         for booking_id in booking_ids if booking_id not in already for foundation in foundations],
        batch_size=2000)


def divide(cents: int, weights: Iterable[tuple[int, int]]) -> dict[int, int]:
    """`cents` divided among (foundation id, weight) pairs, summing exactly to `cents`: each
    gets the floor of its share, the cents left go to the largest remainders (ties: the
    smaller foundation id). A negative amount (a refund after the end) divides as its opposite."""
    weights = [(key, weight) for key, weight in weights if weight > 0]
    total = sum(weight for _, weight in weights)
    if not total:
        return {}
    sign, cents = (-1, -cents) if cents < 0 else (1, cents)
    shares = {key: cents * weight // total for key, weight in weights}
    remainders = sorted(weights, key=lambda pair: (-(cents * pair[1] % total), pair[0]))
    for key, _ in remainders[:cents - sum(shares.values())]:
        shares[key] += 1
    return {key: sign * share for key, share in shares.items()}
