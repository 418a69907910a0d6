"""`Idempotency-Key` on every POST to /v1/, as Stripe's API v1 documents it:

- the first answer given for a key is saved (status and body) once the endpoint ran — a
  success, a declined card (402), insufficient funds, or a 5xx of the endpoint itself — and a
  later POST with the same key and the same path and parameters gets that saved answer back
  (header `Idempotent-Replayed: true`), creating nothing;
- parameter errors (other 4xx) are not saved: the same key can be tried again once fixed;
- the same key with another path or other parameters is refused (400, `idempotency_error`);
- a key used while its first request is still running is refused (409, which the SDKs retry);
- keys are scoped to the account the call acts for (`Stripe-Account`) and forgotten after
  24 hours of the server's clock (`POST /_config/clock`, common.py): a key reused after that
  runs again, as with Stripe.
"""
from __future__ import annotations

import json

from aiohttp import web
from localstripe.errors import UserError
from localstripe.resources import store
from localstripe.server import get_post_data

from .common import PLATFORM, StripeError, now

KEY_LIFETIME = 24 * 3600
SAVED_ERROR_CODES = {"balance_insufficient", "card_declined"}
_running: set[str] = set()


def _record_key(request: web.Request, key: str) -> str:
    return f"alma_idempotency:{request.headers.get('Stripe-Account') or PLATFORM}:{key}"


async def _fingerprint(request: web.Request) -> str:
    params = await get_post_data(request, remove_auth=False) or {}
    return json.dumps({"path": request.path, "params": params}, sort_keys=True, default=str)


def _worth_saving(response: web.Response) -> bool:
    if response.status < 400 or response.status >= 500 or response.status == 402:
        return True
    try:
        code = json.loads(response.body)["error"].get("code")
    except (TypeError, ValueError, KeyError, AttributeError):
        return False
    return code in SAVED_ERROR_CODES


def _replay(record: dict) -> web.Response:
    return web.Response(status=record["status"], body=record["body"], content_type="application/json",
                        headers={"Idempotent-Replayed": "true"})


def _mismatch(key: str) -> StripeError:
    return StripeError(400, f"Keys for idempotent requests can only be used with the same parameters they were "
                            f"first used with. Try using a key other than '{key}' if you meant to execute a "
                            "different request.", type="idempotency_error")


def forget_running() -> None:
    _running.clear()


@web.middleware
async def idempotency(request: web.Request, handler):
    key = request.headers.get("Idempotency-Key")
    if request.method != "POST" or not key or not request.path.startswith("/v1/"):
        return await handler(request)
    record_key = _record_key(request, key)
    fingerprint = await _fingerprint(request)
    record = store.get(record_key)
    if record is not None and now() - record["created"] >= KEY_LIFETIME:
        del store[record_key]
        record = None
    if record is not None:
        if record["fingerprint"] != fingerprint:
            raise _mismatch(key)
        return _replay(record)
    if record_key in _running:
        raise StripeError(409, "There is currently another in-progress request using this idempotency key. "
                               "Try again later.", type="idempotency_error")
    _running.add(record_key)
    try:
        try:
            response = await handler(request)
        except UserError as error:
            response = error.to_response()
        if isinstance(response, web.Response) and _worth_saving(response):
            store[record_key] = {"fingerprint": fingerprint, "status": response.status, "body": response.body,
                                 "created": now()}
        return response
    finally:
        _running.discard(record_key)
