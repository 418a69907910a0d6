"""Payments: what localstripe lacks for the traveller's card payment and its refunds.

- the card Element really pays: the fake Stripe.js's `confirmCardPayment(secret,
  {payment_method: {card}})` posts the card to `/v1/payment_intents/<id>/confirm` with the
  publishable key and the client secret, as Stripe.js does (upstream it only simulates the
  3-D Secure step of a PaymentIntent the server already confirmed);
- `description` and `transfer_group` on PaymentIntents, `reason` on refunds;
- a `charge.refunded` event for each refund;
- the decline test card 4000 0000 0000 0002 is declined when charged (upstream only refuses
  to attach it to a customer), as Stripe's `card_declined` / `generic_decline`;
- a refund larger than what is left of the charge is refused, as Stripe refuses it.
"""
from __future__ import annotations

from pathlib import Path

from aiohttp import web
from localstripe import resources
from localstripe.errors import UserError
from localstripe.resources import Charge, PaymentIntent, PaymentMethod, Refund, store
from localstripe.server import get_post_data, json_response

from . import webhooks
from .common import Routes, StripeError

LOCALSTRIPE_JS = Path(resources.__file__).with_name("localstripe-v3.js")
DECLINED_WHEN_CHARGED = {"4000000000000002"}
front = Routes()  # called by Stripe.js with the publishable key: before authentication

# Appended to upstream's fake Stripe.js (same script, so LOCALSTRIPE_BASE_API is in scope).
CARD_ELEMENT_PATCH = r"""
// --- Alma Heritage: confirmCardPayment pays with the card typed in the Element ---------
(function () {
  // Name the fake Element's inputs, as Stripe's own iframe does, so pages stay accessible.
  const mount = Element.prototype.mount;
  Element.prototype.mount = function (domElement) {
    mount.call(this, domElement);
    const names = {number: 'Card number', exp_month: 'Expiry month', exp_year: 'Expiry year',
                   cvc: 'CVC', postal_code: 'Postal code'};
    Object.keys(this._inputs || {}).forEach(field => {
      this._inputs[field].setAttribute('aria-label', names[field] || field);
    });
  };
  const makeStripe = Stripe;
  Stripe = function (apiKey, options) {
    const stripe = makeStripe(apiKey);
    const authenticate = stripe.confirmCardPayment;  // upstream: the 3-D Secure dialog
    stripe.confirmCardPayment = async (clientSecret, data) => {
      const element = data && data.payment_method && data.payment_method.card;
      if (!element || typeof element.mount !== 'function') {
        return authenticate(clientSecret, data);
      }
      if (!element.value || !element.value.card.number) {
        return {error: {type: 'validation_error', code: 'incomplete_number',
                        message: 'Your card number is incomplete.'}};
      }
      const card = Object.assign({}, element.value.card,
                                 {number: element.value.card.number.replace(/\s+/g, '')});
      const pi = clientSecret.match(/^(pi_\w+)_secret_/)[1];
      const response = await fetch(`${LOCALSTRIPE_BASE_API}/v1/payment_intents/${pi}/confirm`, {
        method: 'POST',
        body: JSON.stringify({
          key: apiKey, client_secret: clientSecret,
          payment_method_data: {type: 'card', card: card,
                                billing_details: data.payment_method.billing_details || {}},
        }),
      });
      const body = await response.json().catch(() => ({}));
      if (response.status !== 200 || body.error) {
        return {error: body.error || {type: 'api_error', message: 'Payment failed.'}};
      }
      if (body.status === 'requires_action') {
        return authenticate(clientSecret, data);
      }
      return {paymentIntent: body};
    };
    return stripe;
  };
})();
"""


# --- Additions to localstripe's resources --------------------------------------------------

def _accept_extra_params(cls, names: tuple[str, ...]) -> None:
    """Let `cls` take Stripe parameters that localstripe does not know (kept as attributes)."""
    original_init = cls.__init__

    def __init__(self, *args, **kwargs):
        extras = {name: kwargs.pop(name, None) for name in names}
        original_init(self, *args, **kwargs)
        for name, value in extras.items():
            setattr(self, name, value)

    cls.__init__ = __init__


def _refundable(charge: Charge, amount):
    """The amount to refund (all that is left when not given), refused above what is left."""
    left = charge.amount - charge.amount_refunded
    if left <= 0:
        raise StripeError(400, f"Charge {charge.id} has already been refunded.", code="charge_already_refunded")
    if amount in (None, ""):
        return left
    try:
        asked = int(amount)
    except (TypeError, ValueError):
        return amount  # localstripe refuses it in its own words
    if asked > left:
        raise StripeError(400, f"Refund amount ({asked}) is greater than the charge's unrefunded amount ({left}).",
                          code="amount_too_large", param="amount")
    return asked


def _check_and_announce_refunds() -> None:
    """Stripe refuses a refund above what is left of the charge, and sends `charge.refunded`
    after each refund; localstripe does neither."""
    original_init = Refund.__init__

    def __init__(self, charge=None, payment_intent=None, amount=None, **kwargs):
        charge_id = charge
        if charge_id is None and isinstance(payment_intent, str):
            intent = store.get(f"payment_intent:{payment_intent}")
            charge_id = intent.latest_charge.id if intent is not None and intent.latest_charge else None
        target = store.get(f"charge:{charge_id}") if charge_id else None
        if target is not None:
            amount = _refundable(target, amount)
        original_init(self, charge=charge, payment_intent=payment_intent, amount=amount, **kwargs)
        webhooks.emit("charge.refunded", Charge._api_retrieve(self.charge))

    Refund.__init__ = __init__


def _decline_the_decline_card() -> None:
    original = PaymentMethod._charging_is_declined

    def _charging_is_declined(self):
        return original(self) or (self.type == "card" and self._card_number in DECLINED_WHEN_CHARGED)

    PaymentMethod._charging_is_declined = _charging_is_declined


def install() -> None:
    _accept_extra_params(PaymentIntent, ("description", "transfer_group"))
    _accept_extra_params(Refund, ("reason",))
    _check_and_announce_refunds()
    _decline_the_decline_card()


# --- Stripe.js's side (publishable key, no secret key) ---------------------------------------

def _has_secret_key(request: web.Request) -> bool:
    return request.headers.get("Authorization", "").split(" ")[-1].startswith("sk_")


async def _client_confirm(request: web.Request, pi_id: str) -> web.Response:
    """Stripe.js confirming a PaymentIntent with a card: publishable key + client secret."""
    data = await get_post_data(request, remove_auth=False) or {}
    key = data.get("key")
    if not (isinstance(key, str) and key.startswith("pk_")):
        raise UserError(401, "Unauthorized")
    intent = PaymentIntent._api_retrieve(pi_id)
    if data.get("client_secret") != intent.client_secret:
        raise UserError(401, "Unauthorized")
    if intent.status not in ("requires_payment_method", "requires_confirmation"):
        raise UserError(400, "This PaymentIntent's status does not allow confirmation.",
                        {"code": "payment_intent_unexpected_state"})
    method_data = data.get("payment_method_data") or {}
    method = PaymentMethod(type=method_data.get("type", "card"), card=method_data.get("card"),
                           billing_details=method_data.get("billing_details") or None)
    intent.payment_method = method.id
    intent.latest_charge = None  # a new attempt after a declined card starts a new charge
    intent._authentication_failed = False
    try:
        intent._confirm(on_failure_now=intent._report_failure)
    except UserError as declined:
        declined.body["error"]["payment_intent"] = intent._export()
        raise
    finally:
        store.dump_to_disk()
    return json_response(intent._export())


async def stripe_js(request: web.Request) -> web.Response:
    return web.Response(text=LOCALSTRIPE_JS.read_text() + CARD_ELEMENT_PATCH,
                        content_type="application/javascript")


async def client_confirm(request: web.Request, intent_id: str) -> web.Response:
    if _has_secret_key(request):
        return None  # the platform's own confirm: localstripe's route
    return await _client_confirm(request, intent_id)


front.add("GET", r"/js.stripe.com/v3/", stripe_js)
front.add("POST", r"/v1/payment_intents/(?P<intent_id>pi_\w+)/confirm", client_confirm)
