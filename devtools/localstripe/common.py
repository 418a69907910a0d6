"""What every addition to localstripe shares: Stripe-shaped errors, request parameters, the
server's clock, routes matched before localstripe's own, and the account a call acts for."""
from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web
from localstripe.errors import UserError
from localstripe.resources import store
from localstripe.server import get_post_data, json_response, unflatten_data

PLATFORM = "platform"
Handler = Callable[..., Awaitable[web.StreamResponse]]


class StripeError(UserError):
    """An error in the shape of Stripe's (`error.type`, `code`, `param`, `message`)."""

    def __init__(self, status: int, message: str, *, code: str | None = None, param: str | None = None,
                 type: str = "invalid_request_error") -> None:  # noqa: A002 (Stripe's field name)
        contents = {key: value for key, value in (("code", code), ("param", param)) if value}
        super().__init__(status, message, contents)
        self.body["error"]["type"] = type


def no_such(kind: str, object_id: str, *, param: str = "id") -> StripeError:
    return StripeError(404, f"No such {kind}: '{object_id}'", code="resource_missing", param=param)


# --- Parameters -------------------------------------------------------------------------

async def params_of(request: web.Request) -> dict:
    """A POST's form (or JSON) body, or a GET's query, unflattened like Stripe's
    (`metadata[k]=v` → {"metadata": {"k": "v"}})."""
    if request.method == "GET":
        return unflatten_data(request.query) or {}
    return dict(await get_post_data(request) or {})


def refuse_unknown(params: dict, allowed: set[str]) -> None:
    for name in params:
        if name not in allowed:
            raise StripeError(400, f"Received unknown parameter: {name}", code="parameter_unknown", param=name)


def amount_param(params: dict, name: str = "amount", *, required: bool = True) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        if required:
            raise StripeError(400, f"Missing required param: {name}.", code="parameter_missing", param=name)
        return None
    try:
        amount = int(value)
    except (TypeError, ValueError):
        raise StripeError(400, f"Invalid integer: {value}", code="parameter_invalid_integer", param=name) from None
    if amount < 1:
        raise StripeError(400, "This value must be greater than or equal to 1.", code="parameter_invalid_integer",
                          param=name)
    return amount


def string_param(params: dict, name: str, *, required: bool = False) -> str | None:
    value = params.get(name)
    if value in (None, ""):
        if required:
            raise StripeError(400, f"Missing required param: {name}.", code="parameter_missing", param=name)
        return None
    if not isinstance(value, str):
        raise StripeError(400, f"Invalid string: {value!r}", param=name)
    return value


def is_true(value) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def merge_metadata(current: dict, update) -> dict:
    """Stripe's rule: keys are added or replaced, a key set to "" is removed, metadata="" empties."""
    if update is None:
        return current
    if update == "":
        return {}
    if not isinstance(update, dict):
        raise StripeError(400, "Invalid object", param="metadata")
    merged = dict(current)
    for key, value in update.items():
        if value == "":
            merged.pop(key, None)
        else:
            merged[key] = str(value)
    return merged


# --- The account a call acts for (the Stripe-Account header) ----------------------------

def acting_account(request: web.Request) -> str:
    """The connected account named by `Stripe-Account`, or the platform. An unknown account is
    refused as Stripe does (the key has no access to it)."""
    account_id = request.headers.get("Stripe-Account", "").strip()
    if not account_id:
        return PLATFORM
    if store.get(f"account:{account_id}") is None:
        raise StripeError(403, f"The provided key does not have access to account '{account_id}' "
                               "(or that account does not exist). Application access may have been revoked.",
                          code="account_invalid")
    return account_id


# --- The server's clock (tests move it to expire idempotency keys and account links) ----

_clock = {"offset": 0.0}


def now() -> float:
    return time.time() + _clock["offset"]


def set_clock(*, offset: float) -> None:
    _clock["offset"] = offset


def clock_offset() -> float:
    return _clock["offset"]


# --- Our routes, matched before localstripe's --------------------------------------------

@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern
    handler: Handler


class Routes:
    """A list of (method, path regex) → handler(request, **named groups). aiohttp's router is
    localstripe's and already full; these are tried first by a middleware."""

    def __init__(self) -> None:
        self._routes: list[Route] = []

    def add(self, method: str, path: str, handler: Handler) -> None:
        self._routes.append(Route(method, re.compile(f"^{path}$"), handler))

    def extend(self, other: Routes) -> None:
        self._routes.extend(other._routes)

    def find(self, request: web.Request) -> tuple[Handler, dict] | None:
        for route in self._routes:
            match = route.pattern.match(request.path)
            if match and route.method == request.method:
                return route.handler, match.groupdict()
        return None


def ok(body: dict, status: int = 200) -> web.Response:
    return json_response(body, status=status)
