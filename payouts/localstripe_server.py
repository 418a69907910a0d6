"""The local Stripe server for development and tests: `localstripe`, bound to 127.0.0.1,
with the few additions our calls need (TESTING.md, "Stripe").

    python -m payouts.localstripe_server --port 8420 \\
        [--data-file var/localstripe.pickle] \\
        [--webhook-url http://127.0.0.1:8000/stripe/webhook/ --webhook-secret whsec_...]

No Django here: the test fixture starts it as a plain subprocess. What we add to localstripe,
each following the shape of Stripe's API so the same SDK calls run against Stripe:

- the card Element really pays: the fake Stripe.js's `confirmCardPayment(secret,
  {payment_method: {card}})` posts the card to `/v1/payment_intents/<id>/confirm` with the
  publishable key and the client secret, as Stripe.js does (upstream it only simulates the
  3-D Secure step of a PaymentIntent the server already confirmed);
- `description` and `transfer_group` on PaymentIntents, `reason` on refunds;
- a `charge.refunded` event for each refund;
- the store is kept in `--data-file` (or only in memory) instead of a shared /tmp file, so
  several servers (dev, parallel test workers) never overwrite each other;
- `DELETE /_config/webhooks` forgets every registered webhook (tests reset it);
- `--webhook-url/--webhook-secret` register our webhook at start-up, so `make run` needs no
  separate one-shot step (honcho stops every process when one exits).

Later issues (Connect: accounts, account links, transfers) add their endpoints here too.
"""
from __future__ import annotations

import argparse
import logging
import pickle
import re
from pathlib import Path

from aiohttp import web
from localstripe import resources
from localstripe.errors import UserError
from localstripe.resources import Charge, Event, PaymentIntent, PaymentMethod, Refund, store
from localstripe.server import app, get_post_data, json_response
from localstripe.webhooks import _webhooks, register_webhook, schedule_webhook

log = logging.getLogger("localstripe")
LOCALSTRIPE_JS = Path(resources.__file__).with_name("localstripe-v3.js")
CLIENT_CONFIRM_PATH = re.compile(r"^/v1/payment_intents/(pi_\w+)/confirm$")

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


def _announce_refunds() -> None:
    """Stripe sends `charge.refunded` after each refund; localstripe does not."""
    original_init = Refund.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        charge = Charge._api_retrieve(self.charge)
        schedule_webhook(Event("charge.refunded", charge))

    Refund.__init__ = __init__


def _keep_store_in(data_file: Path | None) -> None:
    def dump_to_disk(self) -> None:
        if data_file is not None:
            tmp = data_file.with_suffix(".tmp")
            with tmp.open("wb") as f:
                pickle.dump(dict(self), f, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(data_file)

    def try_load_from_disk(self) -> None:
        if data_file is not None and data_file.exists():
            try:
                with data_file.open("rb") as f:
                    dict.update(self, pickle.load(f))  # noqa: S301 (our own file, dev only)
            except Exception as error:  # any unreadable file (older localstripe, truncated): start afresh
                log.warning("starting empty: could not read %s (%s)", data_file, error)

    type(store).dump_to_disk = dump_to_disk
    type(store).try_load_from_disk = try_load_from_disk


# --- Additional routes ---------------------------------------------------------------------

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


def _stripe_js() -> web.Response:
    return web.Response(text=LOCALSTRIPE_JS.read_text() + CARD_ELEMENT_PATCH,
                        content_type="application/javascript")


@web.middleware
async def alma_routes(request: web.Request, handler):
    """In front of localstripe's own middlewares (authentication would refuse Stripe.js)."""
    try:
        if request.method == "GET" and request.path == "/js.stripe.com/v3/":
            return _stripe_js()
        match = CLIENT_CONFIRM_PATH.match(request.path)
        if request.method == "POST" and match and not _has_secret_key(request):
            return await _client_confirm(request, match.group(1))
        return await handler(request)
    except UserError as error:
        return error.to_response()


async def forget_webhooks(request: web.Request) -> web.Response:
    _webhooks.clear()
    return web.Response()


def build_app(*, data_file: Path | None = None) -> web.Application:
    _keep_store_in(data_file)
    store.try_load_from_disk()
    _accept_extra_params(PaymentIntent, ("description", "transfer_group"))
    _accept_extra_params(Refund, ("reason",))
    _announce_refunds()
    app.middlewares.insert(0, alma_routes)
    app.router.add_delete("/_config/webhooks", forget_webhooks)
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8420)
    parser.add_argument("--data-file", type=Path, default=None)
    parser.add_argument("--webhook-url", default="")
    parser.add_argument("--webhook-secret", default="")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    application = build_app(data_file=args.data_file)
    if args.webhook_url and args.webhook_secret:
        register_webhook("alma", args.webhook_url, args.webhook_secret, None)
        log.info("webhooks go to %s", args.webhook_url)
    web.run_app(application, host=args.host, port=args.port, access_log=None,
                print=lambda text: log.info("local Stripe server on http://%s:%d/", args.host, args.port))


if __name__ == "__main__":
    main()
