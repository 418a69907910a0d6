"""Stripe's events (`POST /stripe/webhook/`): verified by the view, handled here once each.

The event id is claimed first (a `StripeEvent` row, unique). A duplicate delivery of a
processed event does nothing. The handlers underneath are idempotent too, so an event whose
processing was interrupted (row claimed, `processed_at` empty) is simply processed again,
and the return page may have done the same work already. Out-of-order events are safe:
a success is final, a later failure or a replayed success never moves a booking back.

A signed event we cannot use (not JSON, no `data.object`, wrong types, a PaymentIntent that
is not ours) is answered 200 and recorded as `unprocessable` with the reason, for staff
(admin › Événements Stripe, filter by outcome): a 500 would make Stripe send it again for
days. A success for another amount or currency than asked is recorded as `amount_mismatch`
(refunded, never confirmed: payouts/services.py). Only a bad signature is refused (400).
"""
from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from datetime import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db import DataError

from . import connect, disputes, hooks, monthly, refunds, services
from . import stripe_adapter as stripe
from .models import Payment, StripeEvent, StripeEventOutcome

EXCERPT = 2000  # characters of an unreadable event kept for staff


class Unprocessable(Exception):
    """This event cannot be used; the message says why (shown to staff)."""

log = logging.getLogger(__name__)


def _our_payment(intent: dict) -> Payment:
    found = Payment.objects.filter(stripe_payment_intent_id=str(intent["id"])).first()
    if found is None:
        raise Unprocessable(f"PaymentIntent inconnu : {str(intent['id'])[:100]}")
    return found


def _other_sale(intent: dict, now: datetime) -> bool:
    """A PaymentIntent of another kind of sale (a gift voucher: payouts/hooks.py): True once handled."""
    handler = hooks.intent_handler(intent)
    if handler is None:
        return False
    try:
        handler(stripe.Intent.from_stripe(intent), now=now)
    except LookupError as error:
        raise Unprocessable(f"PaymentIntent inconnu : {error}"[:300]) from error
    return True


def _succeeded(intent: dict, now: datetime) -> str:
    if _other_sale(intent, now):
        return ""
    parsed = stripe.Intent.from_stripe(intent)
    _our_payment(intent)
    if parsed.status == "succeeded" and parsed.amount_cents <= 0:
        raise Unprocessable(f"succès sans montant reçu ({parsed.amount_cents})")
    services.apply_intent(parsed, now=now)
    payment = _our_payment(intent)
    return StripeEventOutcome.AMOUNT_MISMATCH if payment.amount_mismatch else ""


def _failed(intent: dict, now: datetime) -> None:
    if _other_sale(intent, now):
        return
    _our_payment(intent)
    error = intent.get("last_payment_error") or {}
    services.payment_failed(intent_id=intent["id"], error_message=str(error.get("message") or ""))


def _processing(intent: dict, now: datetime) -> None:
    if _other_sale(intent, now):
        return
    _our_payment(intent)
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


def handle_event(*, event: object, now: datetime) -> bool:
    """Process a verified event. False when it was a duplicate (nothing done)."""
    try:
        event_id, kind, obj = _shape(event)
    except Unprocessable as problem:
        known_id = event.get("id") if isinstance(event, dict) else None
        record_unreadable(payload=json.dumps(event, default=str).encode(), problem=str(problem), now=now,
                          event_id=known_id if isinstance(known_id, str) and 0 < len(known_id) <= 255 else "")
        return True
    record, created = StripeEvent.objects.get_or_create(
        event_id=event_id, defaults={"type": kind, "received_at": now, "object_id": str(obj.get("id", ""))[:255]})
    if not created and record.processed_at is not None:
        return False
    outcome, problem = "", ""
    handler = HANDLERS.get(record.type)
    if handler is not None:
        try:
            outcome = handler(obj, now) or ""
        except Unprocessable as error:
            outcome, problem = StripeEventOutcome.UNPROCESSABLE, str(error)
        except (KeyError, TypeError, ValueError, AttributeError, ObjectDoesNotExist, DataError) as error:
            # A shape we did not expect. Transient failures (database down, Stripe unreachable)
            # still propagate: 500/503, and Stripe's retry is then what we want.
            log.warning("Stripe event %s (%s) unprocessable: %r", event_id, kind, error)
            outcome, problem = StripeEventOutcome.UNPROCESSABLE, f"forme inattendue : {error!r}"
    if outcome == StripeEventOutcome.AMOUNT_MISMATCH:
        problem = Payment.objects.get(stripe_payment_intent_id=obj["id"]).error_message
    StripeEvent.objects.filter(pk=record.pk).update(processed_at=now, outcome=outcome, problem=problem[:500])
    return True


def _shape(event: object) -> tuple[str, str, dict]:
    """The id, type and `data.object` every event has, or Unprocessable."""
    if not isinstance(event, dict):
        raise Unprocessable(f"l'événement n'est pas un objet JSON ({type(event).__name__})")
    event_id, kind, data = event.get("id"), event.get("type"), event.get("data")
    if not isinstance(event_id, str) or not event_id or len(event_id) > 255:
        raise Unprocessable("identifiant d'événement absent ou invalide")
    if not isinstance(kind, str) or len(kind) > 100:
        raise Unprocessable("type d'événement absent ou invalide")
    obj = data.get("object") if isinstance(data, dict) else None
    if not isinstance(obj, dict):
        raise Unprocessable("data.object absent ou invalide")
    return event_id, kind, obj


def record_unreadable(*, payload: bytes, problem: str, now: datetime, event_id: str = "") -> StripeEvent:
    """A signed event we cannot read, for staff: under its id when it has one, else once per
    content (a redelivery of the same body finds its row)."""
    text = payload.decode("utf-8", errors="replace")
    event_id = event_id or f"illisible:{hashlib.sha256(payload).hexdigest()}"
    record, _created = StripeEvent.objects.get_or_create(event_id=event_id, defaults={
        "type": "", "received_at": now, "processed_at": now, "outcome": StripeEventOutcome.UNPROCESSABLE,
        "problem": problem[:500], "payload_excerpt": text[:EXCERPT]})
    log.warning("unreadable Stripe event recorded as %s: %s", event_id, problem)
    return record
