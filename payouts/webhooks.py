"""Stripe's events (`POST /stripe/webhook/`): verified by the view, handled here once each.

The event id is claimed first (a `StripeEvent` row, unique). A duplicate delivery of a
processed event does nothing. The handlers underneath are idempotent too, so an event whose
processing was interrupted (row claimed, `processed_at` empty) is simply processed again,
and the return page may have done the same work already. Out-of-order events are safe:
a success is final, a later failure or a replayed success never moves a booking back.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from . import connect, disputes, monthly, refunds, services
from . import stripe_adapter as stripe
from .models import StripeEvent

log = logging.getLogger(__name__)


def _succeeded(intent: dict, now: datetime) -> None:
    services.apply_intent(stripe.Intent.from_stripe(intent), now=now)


def _failed(intent: dict, now: datetime) -> None:
    error = intent.get("last_payment_error") or {}
    services.payment_failed(intent_id=intent["id"], error_message=error.get("message") or "")


def _processing(intent: dict, now: datetime) -> None:
    services.payment_processing(intent_id=intent["id"])


def _refunded(charge: dict, now: datetime) -> None:
    if charge.get("payment_intent"):
        refunds.sync_refunds(intent_id=charge["payment_intent"], now=now)


def _account_updated(account: dict, now: datetime) -> None:
    connect.account_updated(data=account)


def _transfer(transfer: dict, now: datetime) -> None:
    monthly.transfer_seen(data=transfer, now=now)


def _dispute_opened(dispute: dict, now: datetime) -> None:
    disputes.dispute_opened(data=dispute, now=now)


def _dispute_closed(dispute: dict, now: datetime) -> None:
    disputes.dispute_closed(data=dispute, now=now)


HANDLERS: dict[str, Callable[[dict, datetime], None]] = {
    "payment_intent.succeeded": _succeeded,
    "payment_intent.payment_failed": _failed,
    "payment_intent.processing": _processing,
    "charge.refunded": _refunded,
    "account.updated": _account_updated,
    "transfer.created": _transfer,
    "transfer.updated": _transfer,
    "transfer.reversed": _transfer,
    "charge.dispute.created": _dispute_opened,
    "charge.dispute.updated": _dispute_opened,
    "charge.dispute.closed": _dispute_closed,
}


def handle_event(*, event: dict, now: datetime) -> bool:
    """Process a verified event. False when it was a duplicate (nothing done)."""
    record, created = StripeEvent.objects.get_or_create(
        event_id=event["id"], defaults={"type": event.get("type", ""), "received_at": now,
                                        "object_id": str(event["data"]["object"].get("id", ""))[:255]})
    if not created and record.processed_at is not None:
        return False
    handler = HANDLERS.get(record.type)
    if handler is not None:
        handler(event["data"]["object"], now)
    StripeEvent.objects.filter(pk=record.pk).update(processed_at=now)
    return True
