"""A balance per account (the platform's and each connected account's), in euro cents.

- a succeeded charge adds to the platform's available balance, a refund takes from it
  (localstripe writes a balance transaction for each: we follow them);
- a transfer moves money from the platform to its destination, a reversal back;
- `GET /v1/balance` answers for the account named by `Stripe-Account`, else the platform;
- `POST /_config/balance/{account}` (account = `platform` or `acct_…`, form or JSON
  `amount`) sets an available balance, for tests of what a short balance refuses.

The platform's balance is enforced only once set through `_config`: Alma Heritage pays out
its own Stripe balance manually (README), so by default a transfer never fails for want of
funds, and the tests that want "insufficient funds" set the platform's balance first.
A connected account's balance is always enforced (a reversal needs the money to be there).
"""
from __future__ import annotations

from aiohttp import web
from localstripe.resources import BalanceTransaction, store

from .common import PLATFORM, Routes, StripeError, acting_account, no_such, ok, params_of

CURRENCY = "eur"
routes = Routes()


def _key(account: str) -> str:
    return f"alma_balance:{account}"


def _balance(account: str) -> dict:
    balance = store.get(_key(account))
    if balance is None:
        balance = {"available": 0, "enforced": account != PLATFORM}
        store[_key(account)] = balance
    return balance


def available(account: str) -> int:
    return _balance(account)["available"]


def covers(account: str, amount: int) -> bool:
    balance = _balance(account)
    return not balance["enforced"] or balance["available"] >= amount


def move(amount: int, *, source: str, destination: str) -> None:
    _balance(source)["available"] -= amount
    _balance(destination)["available"] += amount


def insufficient_funds(account: str = PLATFORM) -> StripeError:
    """Stripe's code for a transfer, payout or reversal that the balance cannot cover."""
    whose = "your Stripe account" if account == PLATFORM else f"the balance of {account}"
    return StripeError(400, f"Insufficient available funds in {whose} for this amount.",
                       code="balance_insufficient")


def follow_balance_transactions() -> None:
    """Charges and refunds change the platform's balance as localstripe records them."""
    original_init = BalanceTransaction.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        _balance(PLATFORM)["available"] += self.amount

    BalanceTransaction.__init__ = __init__


def _export(account: str) -> dict:
    amount = available(account)
    return {"object": "balance", "livemode": False,
            "available": [{"amount": amount, "currency": CURRENCY, "source_types": {"card": amount}}],
            "pending": [{"amount": 0, "currency": CURRENCY, "source_types": {"card": 0}}]}


async def retrieve(request: web.Request) -> web.Response:
    return ok(_export(acting_account(request)))


async def configure(request: web.Request, account: str) -> web.Response:
    if account != PLATFORM and store.get(f"account:{account}") is None:
        raise no_such("account", account, param="account")
    params = await params_of(request)
    try:
        amount = int(params.get("amount"))
    except (TypeError, ValueError):
        raise StripeError(400, "amount (integer cents) is required", param="amount") from None
    store[_key(account)] = {"available": amount, "enforced": True}
    return ok(_export(account))


routes.add("GET", r"/v1/balance", retrieve)
routes.add("POST", r"/_config/balance/(?P<account>\w+)", configure)
