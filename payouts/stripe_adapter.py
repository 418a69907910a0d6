"""The only module that talks to Stripe. Our domain speaks `Decimal` euros; Stripe speaks
integer cents: `core.money.to_cents` / `from_cents` convert, exactly (never rounding).

Development and tests point the SDK at the local Stripe server (`STRIPE_API_BASE`,
see docs/local-stripe.md); production at api.stripe.com. Every call has a timeout,
a few retries with backoff (the SDK's), and writes carry an idempotency key built from our
own row ids, so a retried call never charges or refunds twice.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

import stripe
from django.conf import settings

CURRENCY = "eur"
# (connect, read) seconds. Stripe answers in well under a second; a stuck call must not
# hold a web worker.
TIMEOUT = (5, 20)
NETWORK_RETRIES = 2


class StripeUnavailable(Exception):
    """Stripe could not be reached or refused the call; the caller keeps its row pending and
    retries later (never a 500 for the person in front of the page)."""


class BadSignature(Exception):
    """A webhook whose signature does not verify with STRIPE_WEBHOOK_SECRET."""


@dataclass(frozen=True)
class Intent:
    """What we use of a PaymentIntent."""

    id: str
    status: str  # Stripe's: requires_payment_method, requires_action, processing, succeeded, canceled…
    amount_cents: int
    client_secret: str
    charge_id: str
    error_message: str

    @classmethod
    def from_stripe(cls, data: dict) -> Intent:
        charge = data.get("latest_charge") or ""
        error = data.get("last_payment_error") or {}
        return cls(id=data["id"], status=data["status"],
                   amount_cents=int(data.get("amount_received") or data["amount"]),
                   client_secret=data.get("client_secret") or "",
                   charge_id=charge if isinstance(charge, str) else charge.get("id", ""),
                   error_message=error.get("message") or "")


@dataclass(frozen=True)
class StripeRefund:
    id: str
    amount_cents: int
    status: str  # succeeded, pending, failed, canceled
    alma_refund_id: int | None  # our Refund row, when we asked for it

    @classmethod
    def from_stripe(cls, data: dict) -> StripeRefund:
        ours = (data.get("metadata") or {}).get("alma_refund")
        return cls(id=data["id"], amount_cents=int(data["amount"]), status=data.get("status") or "succeeded",
                   alma_refund_id=int(ours) if ours else None)


@cache
def _http_client(timeout: tuple[int, int]) -> stripe.HTTPClient:
    return stripe.RequestsClient(timeout=timeout)


def _client() -> stripe.StripeClient:
    if not settings.STRIPE_SECRET_KEY:
        raise StripeUnavailable("STRIPE_SECRET_KEY is not set")
    # Module-level calls (stripe.Transfer.create…) go to the same server as the client's.
    stripe.api_base = settings.STRIPE_API_BASE
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, base_addresses={"api": settings.STRIPE_API_BASE},
                               http_client=_http_client(TIMEOUT), max_network_retries=NETWORK_RETRIES)


def _call(method, *args, **kwargs) -> dict:
    try:
        return method(*args, **kwargs).to_dict()
    except stripe.StripeError as error:
        raise StripeUnavailable(str(error.user_message or error)) from error


def create_payment_intent(*, amount_cents: int, reference: str, metadata: dict[str, str],
                          idempotency_key: str) -> Intent:
    """A card PaymentIntent on the platform account. `transfer_group` ties the charge to the
    owner's later Connect transfer (separate charges and transfers, DESIGN rule 10)."""
    params = {
        "amount": amount_cents, "currency": CURRENCY, "payment_method_types": ["card"],
        "description": f"Alma Heritage {reference}", "transfer_group": f"booking-{reference}",
        "metadata": metadata,
    }
    data = _call(_client().v1.payment_intents.create, params=params, options={"idempotency_key": idempotency_key})
    return Intent.from_stripe(data)


def retrieve_payment_intent(intent_id: str) -> Intent:
    return Intent.from_stripe(_call(_client().v1.payment_intents.retrieve, intent_id))


def cancel_payment_intent(intent_id: str) -> None:
    _call(_client().v1.payment_intents.cancel, intent_id)


def create_refund(*, intent_id: str, amount_cents: int, stripe_reason: str, alma_refund_id: int) -> StripeRefund:
    params = {"payment_intent": intent_id, "amount": amount_cents, "metadata": {"alma_refund": str(alma_refund_id)}}
    if stripe_reason:
        params["reason"] = stripe_reason
    data = _call(_client().v1.refunds.create, params=params,
                 options={"idempotency_key": f"alma-refund-{alma_refund_id}-{intent_id}"})
    return StripeRefund.from_stripe(data)


def list_refunds(*, intent_id: str) -> list[StripeRefund]:
    data = _call(_client().v1.refunds.list, params={"payment_intent": intent_id, "limit": 100})
    return [StripeRefund.from_stripe(item) for item in data["data"]]


def verify_event(payload: bytes, signature: str) -> dict:
    """The webhook's event as a dict, only if Stripe (or the local server) signed it."""
    if not settings.STRIPE_WEBHOOK_SECRET:
        raise BadSignature("STRIPE_WEBHOOK_SECRET is not set")
    try:
        stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)
    except (ValueError, stripe.SignatureVerificationError) as error:
        raise BadSignature(str(error)) from error
    return json.loads(payload)
