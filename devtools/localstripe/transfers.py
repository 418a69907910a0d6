"""Transfers to connected accounts and their reversals, in the shapes of Stripe's API reference:

    POST /v1/transfers                       amount, currency, destination, transfer_group,
                                             metadata, description, [source_transaction]
    GET  /v1/transfers                       filters destination, transfer_group; limit,
                                             starting_after; newest first
    GET  /v1/transfers/{id}                  retrieve
    POST /v1/transfers/{id}                  update description, metadata (`transfer.updated`)
    POST /v1/transfers/{id}/reversals        amount (default: what is left), metadata, description
    GET  /v1/transfers/{id}/reversals[/{r}]  list, retrieve

Refused as Stripe refuses them: a destination that does not exist or whose `transfers`
capability is not active, a transfer the platform's balance does not cover (only once a
test set that balance, balances.py), a reversal larger than what is left of the transfer or
than the destination's balance (`balance_insufficient`). Transfers are the platform's
objects: their events (`transfer.created`, `transfer.reversed`, `transfer.updated`) carry no
`account` field, as Stripe's do not.
"""
from __future__ import annotations

import secrets
import time

from aiohttp import web
from localstripe.resources import List, StripeObject, store

from . import balances, webhooks
from .common import (
    PLATFORM,
    Routes,
    StripeError,
    amount_param,
    merge_metadata,
    no_such,
    ok,
    params_of,
    refuse_unknown,
    string_param,
)
from .connect import Account

routes = Routes()


def _fake_id(prefix: str) -> str:
    return prefix + secrets.token_hex(7)


class Transfer(StripeObject):
    object = "transfer"
    _id_prefix = "tr_"

    def __init__(self, *, amount: int, currency: str, destination: str, transfer_group=None, metadata=None,
                 description=None, source_transaction=None, source_type="card"):
        super().__init__()
        self._order = time.time_ns()
        self.amount = amount
        self.amount_reversed = 0
        self.balance_transaction = _fake_id("txn_")
        self.currency = currency
        self.description = description
        self.destination = destination
        self.destination_payment = _fake_id("py_")
        self.metadata = merge_metadata({}, metadata)
        self.reversed = False
        self.source_transaction = source_transaction
        self.source_type = source_type
        self.transfer_group = transfer_group

    @property
    def reversals(self) -> dict:
        return _reversals_of(self.id)._export()

    @classmethod
    def _api_retrieve(cls, id):  # noqa: A002 (localstripe's signature)
        transfer = store.get(f"transfer:{id}")
        if transfer is None:
            raise no_such("transfer", id)
        return transfer


class TransferReversal(StripeObject):
    object = "transfer_reversal"
    _id_prefix = "trr_"

    def __init__(self, *, transfer: Transfer, amount: int, metadata=None, description=None):
        super().__init__()
        self._order = time.time_ns()
        self.amount = amount
        self.balance_transaction = _fake_id("txn_")
        self.currency = transfer.currency
        self.description = description
        self.destination_payment_refund = _fake_id("pyr_")
        self.metadata = merge_metadata({}, metadata)
        self.source_refund = None
        self.transfer = transfer.id


def _newest_first(objects, *, url: str, params: dict) -> List:
    page = List(url, limit=params.get("limit"), starting_after=params.get("starting_after"))
    page._list = sorted(objects, key=lambda obj: obj._order, reverse=True)
    return page


def _reversals_of(transfer_id: str, params: dict | None = None) -> List:
    mine = [obj for key, obj in store.items() if key.startswith("transfer_reversal:") and obj.transfer == transfer_id]
    return _newest_first(mine, url=f"/v1/transfers/{transfer_id}/reversals", params=params or {})


def _destination(account_id: str) -> Account:
    account = store.get(f"account:{account_id}")
    if account is None:
        raise StripeError(400, f"No such destination: '{account_id}'", code="resource_missing", param="destination")
    if not account._can_receive_transfers:
        raise StripeError(400, "Your destination account needs to have the `transfers` capability active "
                               f"(it is {account.capabilities.get('transfers', 'not requested')}).",
                          code="insufficient_capabilities_for_transfer", param="destination")
    return account


def _currency(params: dict) -> str:
    currency = (string_param(params, "currency", required=True) or "").lower()
    if currency != balances.CURRENCY:
        raise StripeError(400, f"Invalid currency: {currency}. This local server keeps balances in eur only.",
                          param="currency")
    return currency


async def create_transfer(request: web.Request) -> web.Response:
    params = await params_of(request)
    refuse_unknown(params, {"amount", "currency", "destination", "transfer_group", "metadata", "description",
                            "source_transaction", "source_type", "expand"})
    amount = amount_param(params)
    currency = _currency(params)
    destination = _destination(string_param(params, "destination", required=True))
    if not balances.covers(PLATFORM, amount):
        raise balances.insufficient_funds()
    transfer = Transfer(amount=amount, currency=currency, destination=destination.id,
                        transfer_group=string_param(params, "transfer_group"), metadata=params.get("metadata"),
                        description=string_param(params, "description"),
                        source_transaction=string_param(params, "source_transaction"),
                        source_type=string_param(params, "source_type") or "card")
    balances.move(amount, source=PLATFORM, destination=destination.id)
    webhooks.emit("transfer.created", transfer)
    return ok(transfer._export(expand=params.get("expand")))


async def list_transfers(request: web.Request) -> web.Response:
    params = await params_of(request)
    refuse_unknown(params, {"destination", "transfer_group", "limit", "starting_after", "expand"})
    wanted = {name: params[name] for name in ("destination", "transfer_group") if params.get(name)}
    matching = [obj for key, obj in store.items() if key.startswith("transfer:")
                and all(getattr(obj, name) == value for name, value in wanted.items())]
    query = "&".join(f"{name}={value}" for name, value in wanted.items())
    return ok(_newest_first(matching, url="/v1/transfers" + (f"?{query}" if query else ""), params=params)._export())


async def retrieve_transfer(request: web.Request, transfer_id: str) -> web.Response:
    params = await params_of(request)
    return ok(Transfer._api_retrieve(transfer_id)._export(expand=params.get("expand")))


async def update_transfer(request: web.Request, transfer_id: str) -> web.Response:
    params = await params_of(request)
    refuse_unknown(params, {"description", "metadata", "expand"})
    transfer = Transfer._api_retrieve(transfer_id)
    previous = {"description": transfer.description, "metadata": dict(transfer.metadata)}
    if "description" in params:
        transfer.description = params["description"] or None
    transfer.metadata = merge_metadata(transfer.metadata, params.get("metadata"))
    changed = {name: value for name, value in previous.items() if getattr(transfer, name) != value}
    if changed:
        webhooks.emit("transfer.updated", transfer, previous=changed)
    return ok(transfer._export(expand=params.get("expand")))


async def create_reversal(request: web.Request, transfer_id: str) -> web.Response:
    params = await params_of(request)
    refuse_unknown(params, {"amount", "metadata", "description", "refund_application_fee", "expand"})
    transfer = Transfer._api_retrieve(transfer_id)
    left = transfer.amount - transfer.amount_reversed
    amount = amount_param(params, required=False) or left
    if left == 0:
        raise StripeError(400, f"Transfer {transfer.id} has already been fully reversed.", param="amount")
    if amount > left:
        raise StripeError(400, f"Reversal amount ({amount}) is greater than what is left of the transfer ({left}).",
                          param="amount")
    if not balances.covers(transfer.destination, amount):
        raise balances.insufficient_funds(transfer.destination)
    reversal = TransferReversal(transfer=transfer, amount=amount, metadata=params.get("metadata"),
                                description=string_param(params, "description"))
    balances.move(amount, source=transfer.destination, destination=PLATFORM)
    transfer.amount_reversed += amount
    transfer.reversed = transfer.amount_reversed == transfer.amount
    webhooks.emit("transfer.reversed", transfer)
    return ok(reversal._export(expand=params.get("expand")))


async def list_reversals(request: web.Request, transfer_id: str) -> web.Response:
    Transfer._api_retrieve(transfer_id)
    return ok(_reversals_of(transfer_id, await params_of(request))._export())


async def retrieve_reversal(request: web.Request, transfer_id: str, reversal_id: str) -> web.Response:
    reversal = store.get(f"transfer_reversal:{reversal_id}")
    if reversal is None or reversal.transfer != transfer_id:
        raise no_such("transfer reversal", reversal_id)
    return ok(reversal._export())


routes.add("POST", r"/v1/transfers", create_transfer)
routes.add("GET", r"/v1/transfers", list_transfers)
routes.add("GET", r"/v1/transfers/(?P<transfer_id>tr_\w+)", retrieve_transfer)
routes.add("POST", r"/v1/transfers/(?P<transfer_id>tr_\w+)", update_transfer)
routes.add("POST", r"/v1/transfers/(?P<transfer_id>tr_\w+)/reversals", create_reversal)
routes.add("GET", r"/v1/transfers/(?P<transfer_id>tr_\w+)/reversals", list_reversals)
routes.add("GET", r"/v1/transfers/(?P<transfer_id>tr_\w+)/reversals/(?P<reversal_id>trr_\w+)", retrieve_reversal)
