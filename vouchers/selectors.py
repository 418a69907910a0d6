"""Reads for staff: the breakage report (expired balances, never paid to anyone)."""
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Sum

from .models import Voucher, VoucherStatus


@dataclass(frozen=True)
class Breakage:
    vouchers: list[Voucher]
    count: int
    total_cents: int


def breakage(*, now: datetime, limit: int = 500) -> Breakage:
    """Active vouchers past their expiry with money left: it stays in the ledger's voucher
    liability (no owner, no buyer is paid it); staff decide what the accounts do with it."""
    expired = Voucher.objects.filter(status=VoucherStatus.ACTIVE, expires_at__lte=now, balance_cents__gt=0)
    totals = expired.aggregate(count=Count("pk"), total=Sum("balance_cents"))
    return Breakage(vouchers=list(expired.select_related("order").order_by("expires_at", "pk")[:limit]),
                    count=totals["count"] or 0, total_cents=totals["total"] or 0)
