"""Registration points for apps above payouts (dependencies point one way: vouchers → payouts).

Other card sales (gift vouchers) use our Stripe account and webhook but are not bookings:
    `register_intent_kind(kind, handler)`: a PaymentIntent created with metadata
    `alma_kind=<kind>` is handed to `handler(intent: stripe_adapter.Intent, now=)` by the webhook
    (`payment_intent.succeeded`, `.payment_failed`, `.processing`), instead of being looked up
    among booking payments. The handler is idempotent (Stripe retries, the return page does the
    same work). It raises LookupError when the intent is not one of its own: the event is then
    recorded as unprocessable, like any unknown PaymentIntent.

The booking payment page shows panels other apps add (the gift-voucher code field):
    `register_checkout_panel(render)`: `render(request, booking) -> str` (safe HTML, or "").
"""
from __future__ import annotations

from collections.abc import Callable

IntentHandler = Callable[..., object]
CheckoutPanel = Callable[..., str]

_intent_kinds: dict[str, IntentHandler] = {}
_checkout_panels: list[CheckoutPanel] = []


def register_intent_kind(kind: str, handler: IntentHandler) -> None:
    if _intent_kinds.get(kind, handler) is not handler:
        raise RuntimeError(f"PaymentIntents of kind {kind!r} are already handled by {_intent_kinds[kind]!r}")
    _intent_kinds[kind] = handler


def intent_handler(intent: dict) -> IntentHandler | None:
    """The handler of a PaymentIntent that is not a booking payment, from its metadata."""
    metadata = intent.get("metadata")
    kind = metadata.get("alma_kind") if isinstance(metadata, dict) else None
    return _intent_kinds.get(kind) if isinstance(kind, str) else None


def register_checkout_panel(render: CheckoutPanel) -> None:
    if render not in _checkout_panels:
        _checkout_panels.append(render)


def checkout_panels(request, booking) -> list[str]:
    return [html for html in (render(request, booking) for render in _checkout_panels) if html]
