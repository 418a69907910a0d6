"""Donations as the ledger has them (`donation_payable`, payouts/ledger.py), per foundation.

Credits to donation_payable are negative; amounts here are what the foundations receive
(positive cents). A booking ended when no foundation was active has no allocation: its
donation is reported under `UNALLOCATED` (None) so totals still equal the ledger."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, Sum

from core.dates import paris_midnight
from payouts.models import LedgerAccount, LedgerEntry, TransactionKind

from .allocation import divide
from .models import DonationAllocation, Foundation

UNALLOCATED = None


@dataclass(frozen=True)
class FoundationTotal:
    foundation: Foundation | None  # None: given while no foundation was active
    cents: int
    bookings: int


def _per_booking(entries) -> dict[int, int]:
    rows = entries.values("booking_id").annotate(total=Sum("amount_cents")).values_list("booking_id", "total")
    return {booking_id: -total for booking_id, total in rows if total}


def _weights(booking_ids) -> dict[int, list[tuple[int, int]]]:
    weights: dict[int, list[tuple[int, int]]] = defaultdict(list)
    rows = DonationAllocation.objects.filter(booking_id__in=booking_ids).order_by("foundation_id")
    for booking_id, foundation_id, weight in rows.values_list("booking_id", "foundation_id", "weight"):
        weights[booking_id].append((foundation_id, weight))
    return weights


def totals(entries) -> list[FoundationTotal]:
    """`entries` (donation_payable LedgerEntry rows) per foundation: amount, bookings counted."""
    per_booking = _per_booking(entries)
    weights = _weights(list(per_booking))
    cents: dict[int | None, int] = defaultdict(int)
    bookings: dict[int | None, int] = defaultdict(int)
    for booking_id, amount in per_booking.items():
        shares = divide(amount, weights.get(booking_id, [])) or {UNALLOCATED: amount}
        for foundation_id, share in shares.items():
            cents[foundation_id] += share
            bookings[foundation_id] += 1 if share else 0
    foundations = Foundation.objects.in_bulk([key for key in cents if key is not None])
    rows = [FoundationTotal(foundations.get(key), cents[key], bookings[key]) for key in cents]
    return sorted(rows, key=lambda row: (row.foundation is None, row.foundation.name if row.foundation else ""))


def donation_entries():
    return LedgerEntry.objects.filter(account=LedgerAccount.DONATION_PAYABLE)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The Paris month of `month` (its 1st) as [start, end) instants."""
    start = month.replace(day=1)
    following = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return paris_midnight(start), paris_midnight(following)


def month_report(month: date) -> list[FoundationTotal]:
    """What the foundations were given during a Paris month: the donations of the bookings
    whose service ended in it (the month rule of the payouts, docs/payouts.md, whenever the
    hourly sweep posted them), and the corrections posted in it (a refund after the end)."""
    start, end = month_bounds(month)
    ended = Q(transaction__kind=TransactionKind.BOOKING_ENDED, booking__service_end__gte=start,
              booking__service_end__lt=end)
    corrected = (~Q(transaction__kind=TransactionKind.BOOKING_ENDED) & Q(transaction__occurred_at__gte=start,
                                                                        transaction__occurred_at__lt=end))
    return totals(donation_entries().filter(ended | corrected))


def given_so_far() -> list[FoundationTotal]:
    """Per foundation, everything the ledger holds (only ended bookings ever reach it), and
    the active foundations that have received nothing yet, at zero."""
    rows = totals(donation_entries())
    listed = {row.foundation.pk for row in rows if row.foundation}
    rows += [FoundationTotal(f, 0, 0) for f in Foundation.objects.filter(active=True).exclude(pk__in=listed)]
    return rows


# The partners page's totals, kept as plain values: every view would otherwise sum the whole
# donation_payable account. Forgotten when a booking's donation is posted (allocation.py), a
# foundation or a transfer record is saved (apps.py); a correction after the end (a refund)
# shows within the timeout.
GIVEN_CACHE_KEY = "donations:given-so-far:v1"
GIVEN_CACHE_SECONDS = 5 * 60


@dataclass(frozen=True)
class PartnerGiven:
    """One foundation on the public partners page."""

    name: str
    website: str
    cents: int


def partners_given() -> tuple[int, list[PartnerGiven]]:
    """Everything given so far (`given_so_far`): the total in cents (what was given while no
    foundation was active included) and each foundation's part, from the cache when fresh."""
    cached = cache.get(GIVEN_CACHE_KEY)
    if cached is None:
        rows = given_so_far()
        cached = (sum(row.cents for row in rows),
                  [(row.foundation.name, row.foundation.website, row.cents) for row in rows if row.foundation])
        cache.set(GIVEN_CACHE_KEY, cached, GIVEN_CACHE_SECONDS)
    total, foundations = cached
    return total, [PartnerGiven(*row) for row in foundations]


def forget_given_so_far() -> None:
    """The totals changed: dropped now and again at commit, so that a page viewed in between
    (still seeing the old rows) cannot keep them cached."""
    cache.delete(GIVEN_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(GIVEN_CACHE_KEY))


def booking_donation_cents(booking) -> int | None:
    """The booking's donation as the ledger has it once ended; None before it ended."""
    if not booking.ledger_transactions.filter(kind=TransactionKind.BOOKING_ENDED).exists():
        return None
    total = donation_entries().filter(booking=booking).aggregate(total=Sum("amount_cents"))["total"]
    return -(total or 0)
