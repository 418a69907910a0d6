"""Wiring: localstripe's aiohttp application, bound to 127.0.0.1, with our additions in front.

    python -m devtools.localstripe --port 8420 \\
        [--data-file var/localstripe.pickle] \\
        [--webhook-url http://127.0.0.1:8000/stripe/webhook/ --webhook-secret whsec_...] \\
        [--connect-webhook-url … --connect-webhook-secret whsec_...]

No Django here: the test fixture starts it as a plain subprocess (devtools/testing.py).

A request goes through, outermost first:
  1. `front`: Stripe.js and its card confirmation, the onboarding and dashboard pages, and
     every `/_config/` endpoint (none needs the secret key);
  2. localstripe's error and authentication middlewares;
  3. failure injection for 500 and timeouts (failures.py), then Idempotency-Key replay
     (idempotency.py), then injected insufficient funds;
  4. `api`: our /v1/ endpoints (Connect, transfers, balances), else localstripe's own.
"""
from __future__ import annotations

import argparse
import logging
import pickle
from pathlib import Path

from aiohttp import web
from localstripe.errors import UserError
from localstripe.resources import store
from localstripe.server import app
from localstripe.server import error_middleware as upstream_errors

from . import balances, connect, failures, idempotency, onboarding, payments, transfers, webhooks
from .common import Routes, StripeError, clock_offset, ok, params_of, set_clock

log = logging.getLogger("localstripe")


# --- Test-only state: the clock and a full reset ------------------------------------------

async def move_clock(request: web.Request) -> web.Response:
    """POST /_config/clock: `advance` (seconds added) or `offset` (seconds from real time)."""
    params = await params_of(request)
    try:
        offset = float(params["offset"]) if "offset" in params else clock_offset() + float(params.get("advance", 0))
    except (TypeError, ValueError):
        raise StripeError(400, "advance and offset are numbers of seconds") from None
    set_clock(offset=offset)
    return ok({"offset": offset})


async def reset_clock(request: web.Request) -> web.Response:
    set_clock(offset=0)
    return web.Response()


async def forget_everything(request: web.Request) -> web.Response:
    """DELETE /_config/data: localstripe's objects and ours (accounts, transfers, balances,
    idempotency records, links), events not delivered yet, armed failures and the clock.
    Webhook endpoints stay (DELETE /_config/webhooks forgets them)."""
    store.clear()
    webhooks.cancel_pending()
    failures.clear()
    idempotency.forget_running()
    set_clock(offset=0)
    return web.Response()


state = Routes()
state.add("POST", r"/_config/clock", move_clock)
state.add("DELETE", r"/_config/clock", reset_clock)
state.add("DELETE", r"/_config/data", forget_everything)


def _tables() -> tuple[Routes, Routes]:
    """(front, api): routes outside /v1/ go in front of authentication, /v1/ ones behind it."""
    front, api = Routes(), Routes()
    front.extend(payments.front)
    for module_routes in (state, webhooks.routes, failures.routes, balances.routes, connect.routes,
                          transfers.routes, onboarding.routes):
        for route in module_routes._routes:
            (api if route.pattern.pattern.startswith("^/v1/") else front)._routes.append(route)
    return front, api


def _dispatching(table: Routes):
    @web.middleware
    async def dispatch(request: web.Request, handler):
        found = table.find(request)
        if found is not None:
            route_handler, groups = found
            try:
                response = await route_handler(request, **groups)
            except UserError as error:
                return error.to_response()
            if response is not None:
                return response
        return await handler(request)

    return dispatch


# --- The store on disk (development) or in memory (tests) ---------------------------------

def _keep_store_in(data_file: Path | None) -> None:
    """localstripe pickles its store to one shared /tmp file; several servers (dev, parallel
    test workers) must not overwrite each other."""
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


_built: list[web.Application] = []


def build_app(*, data_file: Path | None = None) -> web.Application:
    """localstripe's module-level application, extended once per process."""
    if _built:
        return _built[0]
    _keep_store_in(data_file)
    store.try_load_from_disk()
    payments.install()
    balances.follow_balance_transactions()
    webhooks.install()
    front, api = _tables()
    upstream = list(app.middlewares)  # [errors, authentication, save store]
    save_store = upstream[-1]
    app.middlewares[:] = [_dispatching(front), upstream_errors, *upstream[1:-1], failures.before_idempotency,
                          idempotency.idempotency, failures.inside_idempotency, save_store, _dispatching(api)]
    _built.append(app)
    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="The local Stripe server of development and tests.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8420)
    parser.add_argument("--data-file", type=Path, default=None)
    parser.add_argument("--webhook-url", default="")
    parser.add_argument("--webhook-secret", default="")
    parser.add_argument("--connect-webhook-url", default="")
    parser.add_argument("--connect-webhook-secret", default="")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    application = build_app(data_file=args.data_file)
    connect_endpoint = bool(args.connect_webhook_url and args.connect_webhook_secret)
    if args.webhook_url and args.webhook_secret:
        # With a Connect endpoint of its own, the first endpoint gets only the platform's events.
        webhooks.register("alma", args.webhook_url, args.webhook_secret, connect=False if connect_endpoint else None)
        log.info("webhooks go to %s", args.webhook_url)
    if connect_endpoint:
        webhooks.register("alma-connect", args.connect_webhook_url, args.connect_webhook_secret, connect=True)
        log.info("Connect webhooks go to %s", args.connect_webhook_url)
    web.run_app(application, host=args.host, port=args.port, access_log=None,
                print=lambda text: log.info("local Stripe server on http://%s:%d/", args.host, args.port))
