"""Events and their delivery, as Stripe sends them to a Connect platform:

- an event about a connected account carries `"account": "acct_…"` (Stripe's Connect events,
  e.g. `account.updated`); the platform's own events (charges, transfers) carry none;
- an endpoint registered with `connect=true` receives only Connect events, `connect=false`
  only the platform's, as Stripe's `connect` flag on webhook endpoints does. Without the
  flag an endpoint receives both (one endpoint and one secret are enough for `make run`);
- `data.previous_attributes` names what an `*.updated` event changed.

Delivery replaces localstripe's (same signature scheme: `t=…,v1=HMAC-SHA256(secret, "t.payload")`).
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging

import aiohttp
from aiohttp import web
from localstripe import webhooks as upstream
from localstripe.resources import Event

from .common import Routes, StripeError, is_true, params_of

log = logging.getLogger("localstripe")
DELIVERY_DELAY = 1.0  # seconds, as localstripe: the API answer reaches the caller first

routes = Routes()


def emit(kind: str, obj, *, account: str | None = None, previous: dict | None = None) -> Event:
    """Record the event (GET /v1/events lists it) and deliver it to the registered endpoints."""
    event = Event(kind, obj)
    if account:
        event.account = account
    if previous:
        event.data["previous_attributes"] = previous
    upstream.schedule_webhook(event)
    return event


def _wants(webhook, payload: dict) -> bool:
    if webhook.events is not None and payload["type"] not in webhook.events:
        return False
    connect = getattr(webhook, "connect", None)
    if connect is None:
        return True
    return connect == bool(payload.get("account"))


_generation = {"current": 0}


def _deliver(event):
    """Called when the event is scheduled: its endpoints are those registered now, and a reset
    (DELETE /_config/data) in the meantime cancels it, so no test receives another's events."""
    return _send(event, list(upstream._webhooks.values()), _generation["current"])


async def _send(event, endpoints: list, generation: int) -> None:
    payload = event._export()
    body = json.dumps(payload, indent=2, sort_keys=True).encode()
    await asyncio.sleep(DELIVERY_DELAY)
    for webhook in endpoints:
        if generation != _generation["current"] or not _wants(webhook, payload):
            continue
        signature = hmac.new(webhook.secret.encode(), b"%d.%s" % (event.created, body), hashlib.sha256).hexdigest()
        headers = {"Content-Type": "application/json; charset=utf-8",
                   "Stripe-Signature": f"t={event.created},v1={signature}"}
        try:
            async with aiohttp.ClientSession() as session, session.post(webhook.url, data=body,
                                                                        headers=headers) as answer:
                log.info("webhook %s → %s: %d", payload["type"], webhook.url, answer.status)
        except aiohttp.ClientError as error:
            log.info("webhook %s → %s failed: %s", payload["type"], webhook.url, error)


def cancel_pending() -> None:
    _generation["current"] += 1


def register(name: str, url: str, secret: str, *, events: list[str] | None = None,
             connect: bool | None = None) -> None:
    upstream.register_webhook(name, url, secret, events)
    upstream._webhooks[name].connect = connect


def install() -> None:
    upstream._send_webhook = _deliver  # schedule_webhook looks it up at each call


async def configure(request: web.Request, name: str) -> web.Response:
    """POST /_config/webhooks/{name}: url, secret, [events[]], [connect=true|false]."""
    params = await params_of(request)
    url, secret, events = params.get("url"), params.get("secret"), params.get("events")
    if not (isinstance(url, str) and url.startswith("http") and secret):
        raise StripeError(400, "url (http…) and secret are required")
    if events is not None and not isinstance(events, list):
        raise StripeError(400, "events must be a list", param="events")
    connect = params.get("connect")
    register(name, url, secret, events=events, connect=None if connect in (None, "") else is_true(connect))
    return web.Response()


async def forget_all(request: web.Request) -> web.Response:
    upstream._webhooks.clear()
    cancel_pending()
    return web.Response()


routes.add("POST", r"/_config/webhooks/(?P<name>[\w-]+)", configure)
routes.add("DELETE", r"/_config/webhooks", forget_all)
