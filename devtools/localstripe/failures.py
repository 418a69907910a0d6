"""Failure injection, for tests of what our code does when Stripe fails:

    POST   /_config/failures   path, [match=exact|prefix], [method=POST], [count=1],
                               mode=500|timeout|insufficient_funds, [seconds=3 (timeout only)]
    GET    /_config/failures   the rules still armed
    DELETE /_config/failures   disarm every rule

The next `count` calls matching (method, path) fail:

- `500`: answered 500 `api_error` *before* the endpoint runs, as when Stripe's edge fails:
  nothing is created and nothing is saved for the idempotency key, so a retry with the same
  key runs the call (the SDKs retry a 500 by themselves when `max_network_retries` > 0);
- `timeout`: the endpoint runs (and its answer is saved for the idempotency key), then the
  answer is held `seconds` (at most 30) — longer than the caller's read timeout — as when the
  network loses a response: a retry with the same key gets the saved answer, a retry
  without a key creates a second object;
- `insufficient_funds`: answered 400 `balance_insufficient` as the endpoint would, and saved
  for the idempotency key like a real refusal (Stripe replays it for 24 hours).
"""
from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass

from aiohttp import web

from . import balances
from .common import Routes, StripeError, ok, params_of

MODES = ("500", "timeout", "insufficient_funds")
MAX_HOLD = 30.0
routes = Routes()


@dataclass
class Rule:
    path: str
    match: str
    method: str
    count: int
    mode: str
    seconds: float

    def matches(self, request: web.Request) -> bool:
        if request.method != self.method:
            return False
        return request.path == self.path if self.match == "exact" else request.path.startswith(self.path)


_rules: list[Rule] = []


def _take(request: web.Request, modes: tuple[str, ...]) -> Rule | None:
    for rule in _rules:
        if rule.mode in modes and rule.matches(request):
            rule.count -= 1
            if rule.count <= 0:
                _rules.remove(rule)
            return rule
    return None


def clear() -> None:
    _rules.clear()


@web.middleware
async def before_idempotency(request: web.Request, handler):
    rule = _take(request, ("500", "timeout")) if request.path.startswith("/v1/") else None
    if rule is None:
        return await handler(request)
    if rule.mode == "500":
        raise StripeError(500, "An unknown error occurred (injected by the local Stripe server).", type="api_error")
    response = await handler(request)
    await asyncio.sleep(rule.seconds)
    return response


@web.middleware
async def inside_idempotency(request: web.Request, handler):
    if request.path.startswith("/v1/") and _take(request, ("insufficient_funds",)):
        raise balances.insufficient_funds()
    return await handler(request)


async def arm(request: web.Request) -> web.Response:
    params = await params_of(request)
    path, mode = params.get("path"), str(params.get("mode", "500"))
    if not (isinstance(path, str) and path.startswith("/")):
        raise StripeError(400, "path (starting with /) is required", param="path")
    if mode not in MODES:
        raise StripeError(400, f"mode must be one of {', '.join(MODES)}", param="mode")
    match = params.get("match", "exact")
    if match not in ("exact", "prefix"):
        raise StripeError(400, "match must be exact or prefix", param="match")
    try:
        count = int(params.get("count", 1))
        seconds = min(float(params.get("seconds", 3)), MAX_HOLD)
    except (TypeError, ValueError):
        raise StripeError(400, "count and seconds are numbers") from None
    rule = Rule(path=path, match=match, method=str(params.get("method", "POST")).upper(), count=max(count, 1),
                mode=mode, seconds=seconds)
    _rules.append(rule)
    return ok(asdict(rule))


async def armed(request: web.Request) -> web.Response:
    return ok({"object": "list", "data": [asdict(rule) for rule in _rules]})


async def disarm(request: web.Request) -> web.Response:
    clear()
    return web.Response()


routes.add("POST", r"/_config/failures", arm)
routes.add("GET", r"/_config/failures", armed)
routes.add("DELETE", r"/_config/failures", disarm)
