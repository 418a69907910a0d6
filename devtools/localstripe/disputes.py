"""Disputes (chargebacks), which only a cardholder's bank opens — so a test opens them here:

    POST /_config/disputes              charge (ch_…) or payment_intent (pi_…), [amount], [reason]
    POST /_config/disputes/{id}/close   status=won|lost (what the bank decided)
    GET  /v1/disputes[/{id}]            list (filters charge, payment_intent), retrieve
    POST /v1/disputes/{id}/close        the platform accepts the dispute: lost

As with Stripe: opening withdraws the amount from the platform's balance
(`charge.dispute.created`, `charge.dispute.funds_withdrawn`); a won dispute gives it back
(`charge.dispute.funds_reinstated`); either outcome sends `charge.dispute.closed`.
"""
from __future__ import annotations

import time

from aiohttp import web
from localstripe.resources import Charge, List, PaymentIntent, StripeObject, store

from . import balances, webhooks
from .common import PLATFORM, Routes, StripeError, amount_param, no_such, now, ok, params_of, refuse_unknown

EVIDENCE_DAYS = 7
routes = Routes()


class Dispute(StripeObject):
    object = "dispute"
    _id_prefix = "dp_"

    def __init__(self, *, charge: Charge, amount: int, reason: str):
        super().__init__()
        self._order = time.time_ns()
        self.amount = amount
        self.balance_transactions = []
        self.charge = charge.id
        self.currency = charge.currency
        self.evidence = {}
        self.evidence_details = {"due_by": int(now()) + EVIDENCE_DAYS * 86400, "has_evidence": False,
                                 "past_due": False, "submission_count": 0}
        self.is_charge_refundable = False
        self.metadata = {}
        self.payment_intent = charge.payment_intent
        self.reason = reason
        self.status = "needs_response"

    @classmethod
    def _api_retrieve(cls, id):  # noqa: A002 (localstripe's signature)
        dispute = store.get(f"dispute:{id}")
        if dispute is None:
            raise no_such("dispute", id)
        return dispute


def _charge(params: dict) -> Charge:
    if params.get("payment_intent"):
        intent = PaymentIntent._api_retrieve(params["payment_intent"])
        if intent.latest_charge is None:
            raise StripeError(400, "This PaymentIntent has no charge to dispute.", param="payment_intent")
        return intent.latest_charge
    if params.get("charge"):
        return Charge._api_retrieve(params["charge"])
    raise StripeError(400, "charge or payment_intent is required", param="charge")


def _close(dispute: Dispute, status: str) -> Dispute:
    if dispute.status in ("won", "lost"):
        raise StripeError(400, f"Dispute {dispute.id} is already closed.")
    dispute.status = status
    if status == "won":
        balances.add(PLATFORM, dispute.amount)
        webhooks.emit("charge.dispute.funds_reinstated", dispute)
    webhooks.emit("charge.dispute.closed", dispute)
    return dispute


async def open_dispute(request: web.Request) -> web.Response:
    params = await params_of(request)
    refuse_unknown(params, {"charge", "payment_intent", "amount", "reason"})
    charge = _charge(params)
    if charge.status != "succeeded":
        raise StripeError(400, f"Charge {charge.id} did not succeed: nothing to dispute.", param="charge")
    amount = amount_param(params, required=False) or charge.amount - charge.amount_refunded
    dispute = Dispute(charge=charge, amount=amount, reason=params.get("reason") or "fraudulent")
    charge.disputed = True
    balances.add(PLATFORM, -amount)
    webhooks.emit("charge.dispute.created", dispute)
    webhooks.emit("charge.dispute.funds_withdrawn", dispute)
    return ok(dispute._export())


async def decide(request: web.Request, dispute_id: str) -> web.Response:
    status = (await params_of(request)).get("status")
    if status not in ("won", "lost"):
        raise StripeError(400, "status must be won or lost", param="status")
    return ok(_close(Dispute._api_retrieve(dispute_id), status)._export())


async def accept(request: web.Request, dispute_id: str) -> web.Response:
    return ok(_close(Dispute._api_retrieve(dispute_id), "lost")._export())


async def list_disputes(request: web.Request) -> web.Response:
    params = await params_of(request)
    refuse_unknown(params, {"charge", "payment_intent", "limit", "starting_after", "expand"})
    wanted = {name: params[name] for name in ("charge", "payment_intent") if params.get(name)}
    page = List("/v1/disputes", limit=params.get("limit"), starting_after=params.get("starting_after"))
    page._list = sorted((obj for key, obj in store.items() if key.startswith("dispute:")
                         and all(getattr(obj, name) == value for name, value in wanted.items())),
                        key=lambda obj: obj._order, reverse=True)
    return ok(page._export())


async def retrieve(request: web.Request, dispute_id: str) -> web.Response:
    return ok(Dispute._api_retrieve(dispute_id)._export())


routes.add("POST", r"/_config/disputes", open_dispute)
routes.add("POST", r"/_config/disputes/(?P<dispute_id>dp_\w+)/close", decide)
routes.add("GET", r"/v1/disputes", list_disputes)
routes.add("GET", r"/v1/disputes/(?P<dispute_id>dp_\w+)", retrieve)
routes.add("POST", r"/v1/disputes/(?P<dispute_id>dp_\w+)/close", accept)
