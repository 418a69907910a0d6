"""Chargebacks (`charge.dispute.*`): recorded as `Dispute` rows and posted to the ledger.

    opened  cash −A / disputes +A               (Stripe withdraws the amount while the bank decides)
    won     cash +A / disputes −A               (it comes back)
    lost    disputes −A / like a refund          (before the end: what is held; after: the split, so
                                                  the owner's share becomes a debt if already paid)
Each posting's key names the dispute and the step, so replays and events out of order
(closed before created) post each step once.
"""
from __future__ import annotations

import logging
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q

from . import ledger
from .models import Dispute, DisputeStatus, LedgerAccount, Payment, TransactionKind

log = logging.getLogger(__name__)
A = LedgerAccount


def _payment_of(data: dict) -> Payment | None:
    charge, intent = data.get("charge") or "", data.get("payment_intent") or ""
    if isinstance(charge, dict):
        charge = charge.get("id", "")
    found = Q(stripe_charge_id=charge) if charge else Q(pk__in=[])
    if intent:
        found |= Q(stripe_payment_intent_id=intent)
    return Payment.objects.filter(found).first()


def _dispute(data: dict) -> Dispute | None:
    existing = Dispute.objects.filter(stripe_dispute_id=data["id"]).first()
    if existing is not None:
        return existing
    payment = _payment_of(data)
    if payment is None:
        log.warning("dispute %s is about no payment of ours", data.get("id"))
        return None
    amount = min(int(data.get("amount") or 0), payment.amount_cents)
    try:
        with transaction.atomic():
            return Dispute.objects.create(stripe_dispute_id=data["id"], payment=payment, amount_cents=amount,
                                          reason=str(data.get("reason") or "")[:100],
                                          stripe_status=str(data.get("status") or "")[:40])
    except IntegrityError:
        return Dispute.objects.get(stripe_dispute_id=data["id"])


def dispute_opened(*, data: dict, now: datetime) -> Dispute | None:
    dispute = _dispute(data)
    if dispute is None or dispute.amount_cents <= 0:
        return dispute
    ledger.post(key=f"dispute:{dispute.stripe_dispute_id}:opened", kind=TransactionKind.DISPUTE, occurred_at=now,
                booking_id=dispute.payment.booking_id,
                lines=[ledger.Line(A.CASH, -dispute.amount_cents, booking_id=dispute.payment.booking_id),
                       ledger.Line(A.DISPUTES, dispute.amount_cents, booking_id=dispute.payment.booking_id)])
    return dispute


def dispute_closed(*, data: dict, now: datetime) -> Dispute | None:
    dispute = dispute_opened(data=data, now=now)  # a closed event arriving first still opens it once
    if dispute is None or dispute.amount_cents <= 0:
        return dispute
    won = data.get("status") in ("won", "warning_closed")
    key = f"dispute:{dispute.stripe_dispute_id}:{'won' if won else 'lost'}"
    if won:
        ledger.post(key=key, kind=TransactionKind.DISPUTE, occurred_at=now, booking_id=dispute.payment.booking_id,
                    lines=[ledger.Line(A.CASH, dispute.amount_cents, booking_id=dispute.payment.booking_id),
                           ledger.Line(A.DISPUTES, -dispute.amount_cents, booking_id=dispute.payment.booking_id)])
    else:
        ledger.give_back(key=key, kind=TransactionKind.DISPUTE, payment=dispute.payment,
                         amount_cents=dispute.amount_cents, source=A.DISPUTES, now=now)
    Dispute.objects.filter(pk=dispute.pk, status=DisputeStatus.OPEN).update(
        status=DisputeStatus.WON if won else DisputeStatus.LOST, stripe_status=str(data.get("status"))[:40],
        closed_at=now)
    return dispute
