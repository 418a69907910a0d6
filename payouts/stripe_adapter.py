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


class StripeRefused(StripeUnavailable):
    """Stripe answered and said no for good (4xx: invalid request, account unable to receive
    transfers, insufficient funds): retrying the same call will not help."""

    def __init__(self, message: str, *, code: str = ""):
        super().__init__(message)
        self.code = code


class BadSignature(Exception):
    """A webhook whose signature verifies with none of our signing secrets."""


@dataclass(frozen=True)
class Intent:
    """What we use of a PaymentIntent."""

    id: str
    status: str  # Stripe's: requires_payment_method, requires_action, processing, succeeded, canceled…
    amount_cents: int  # what was received once succeeded (`amount_received`), else what is asked
    client_secret: str
    charge_id: str
    error_message: str
    currency: str = CURRENCY

    @classmethod
    def from_stripe(cls, data: dict) -> Intent:
        charge = data.get("latest_charge") or ""
        error = data.get("last_payment_error") or {}
        # `amount_received` when Stripe gives it (the local server does not): a received 0 stays 0,
        # never replaced by the amount asked (payouts/services.py check_received compares them).
        received = data["amount_received"] if data.get("amount_received") is not None else data["amount"]
        return cls(id=_text(data["id"]), status=_text(data["status"]), amount_cents=_whole(received),
                   client_secret=data.get("client_secret") or "",
                   charge_id=charge if isinstance(charge, str) else charge.get("id", ""),
                   error_message=error.get("message") or "",
                   currency=_text(data.get("currency") or "").lower())


def _text(value) -> str:
    """A string field of Stripe's object; anything else is a malformed event (ValueError)."""
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {type(value).__name__}")
    return value


def _whole(value) -> int:
    """An amount in the currency's smallest unit: an integer (JSON has no other), never a bool."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected an integer amount, got {value!r}"[:200])
    return value


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
    """One SDK call. The SDK itself retries network errors, 409 and 5xx (NETWORK_RETRIES
    times, with backoff) sending the same idempotency key, so a retried write is done once."""
    try:
        return method(*args, **kwargs).to_dict()
    except (stripe.InvalidRequestError, stripe.PermissionError, stripe.AuthenticationError, stripe.CardError) as error:
        raise StripeRefused(str(error.user_message or error), code=error.code or "") from error
    except stripe.StripeError as error:
        raise StripeUnavailable(str(error.user_message or error)) from error


def create_payment_intent(*, amount_cents: int, reference: str, metadata: dict[str, str],
                          idempotency_key: str, transfer_group: str = "") -> Intent:
    """A card PaymentIntent on the platform account. `transfer_group` ties the charge to the
    owner's later Connect transfer (separate charges and transfers, docs/payouts.md); a sale
    that is no booking (a gift voucher) names its own."""
    params = {
        "amount": amount_cents, "currency": CURRENCY, "payment_method_types": ["card"],
        "description": f"Alma Heritage {reference}", "transfer_group": transfer_group or f"booking-{reference}",
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


def verify_event(payload: bytes, signature: str) -> object:
    """The webhook's event as parsed JSON, only if Stripe (or the local server) signed it with the
    platform's signing secret or the Connect endpoint's (`STRIPE_CONNECT_WEBHOOK_SECRET`:
    events of connected accounts, such as `account.updated`, may come through a second
    endpoint registered at Stripe with its own secret; both point at this URL).

    The signature is checked before the JSON is read: a signed body that is not JSON raises
    UnreadableEvent (answered 200 and recorded, payouts/webhooks.py), not BadSignature. The
    result may be any JSON value: its shape is the webhook's to check."""
    secrets = [s for s in (settings.STRIPE_WEBHOOK_SECRET, settings.STRIPE_CONNECT_WEBHOOK_SECRET) if s]
    if not secrets:
        raise BadSignature("STRIPE_WEBHOOK_SECRET is not set")
    text = payload.decode("utf-8", errors="replace")  # Stripe signs UTF-8 JSON; anything else will not verify
    error = None
    for secret in secrets:
        try:
            stripe.WebhookSignature.verify_header(text, signature, secret, stripe.Webhook.DEFAULT_TOLERANCE)
        except (ValueError, stripe.SignatureVerificationError) as failure:
            error = failure
            continue
        try:
            return json.loads(text)
        except ValueError as failure:
            raise UnreadableEvent(str(failure)) from failure
    raise BadSignature(str(error))


class UnreadableEvent(Exception):
    """A correctly signed webhook body that is not JSON."""


# --- Connect: owners' connected accounts and their monthly transfers ----------------------------

def create_account(*, email: str, owner_id: int, idempotency_key: str) -> dict:
    """An Express-like account in France: Stripe collects the requirements and hosts the
    dashboard; we only ask for the `transfers` capability (separate charges and transfers)."""
    params = {"type": "express", "country": "FR", "email": email,
              "capabilities": {"transfers": {"requested": True}},
              "business_profile": {"product_description": "Alma Heritage"},
              "metadata": {"alma_owner": str(owner_id)}}
    return _call(_client().v1.accounts.create, params=params,
                 options={"idempotency_key": idempotency_key})


def retrieve_account(account_id: str) -> dict:
    return _call(_client().v1.accounts.retrieve, account_id)


def create_account_link(*, account_id: str, refresh_url: str, return_url: str) -> str:
    data = _call(_client().v1.account_links.create, params={
        "account": account_id, "refresh_url": refresh_url, "return_url": return_url, "type": "account_onboarding"})
    return data["url"]


def create_login_link(account_id: str) -> str:
    return _call(_client().v1.accounts.login_links.create, account_id)["url"]


def create_transfer(*, amount_cents: int, destination: str, transfer_group: str, metadata: dict[str, str],
                    idempotency_key: str, description: str) -> dict:
    params = {"amount": amount_cents, "currency": CURRENCY, "destination": destination,
              "transfer_group": transfer_group, "metadata": metadata, "description": description}
    return _call(_client().v1.transfers.create, params=params, options={"idempotency_key": idempotency_key})


def find_transfers(*, transfer_group: str) -> list[dict]:
    """Transfers already made for this group: asked before any late retry, so a payout whose
    answer was lost is recognised instead of being sent again."""
    data = _call(_client().v1.transfers.list, params={"transfer_group": transfer_group, "limit": 10})
    return [item for item in data["data"] if item.get("transfer_group") == transfer_group]


def retrieve_transfer(transfer_id: str) -> dict:
    return _call(_client().v1.transfers.retrieve, transfer_id)


def create_reversal(*, transfer_id: str, amount_cents: int, idempotency_key: str, metadata: dict[str, str]) -> dict:
    return _call(_client().v1.transfers.reversals.create, transfer_id,
                 params={"amount": amount_cents, "metadata": metadata}, options={"idempotency_key": idempotency_key})


def available_balance(account_id: str) -> int:
    """The connected account's available euros, in cents (the `Stripe-Account` header)."""
    data = _call(_client().v1.balance.retrieve, options={"stripe_account": account_id})
    return sum(int(item["amount"]) for item in data.get("available", []) if item.get("currency") == CURRENCY)
