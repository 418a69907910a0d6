"""Connect accounts, account links and login links, in the shapes of Stripe's API reference:

    POST /v1/accounts                       type=express (or controller[…]), country, email,
                                            capabilities[transfers][requested]=true, metadata…
    GET  /v1/accounts, /v1/accounts/{id}    list, retrieve
    POST /v1/accounts/{id}                  update (metadata, email, capabilities…)
    POST /v1/account_links                  account, refresh_url, return_url, type → {url, expires_at}
    POST /v1/accounts/{id}/login_links      → {url} of the local "Express dashboard"

A new account has its requirements due and its capabilities `inactive`. What Stripe's hosted
onboarding decides, the local onboarding page (onboarding.py) or `POST /_config/accounts/{id}`
(`state=complete|document|new`, optional `deadline` for `document`) decides here:

- complete: details submitted, requested capabilities active, payouts enabled, nothing due;
- document: details submitted, an identity document due (`individual.verification.document`).
  Without deadline it is past due: capabilities inactive, payouts disabled,
  `disabled_reason = requirements.past_due`. With a deadline (epoch seconds) it is only
  currently due: what was enabled stays enabled until then;
- new: back to the state of a freshly created account.

Each change emits `account.updated` with `"account": "acct_…"` and `previous_attributes`.
"""
from __future__ import annotations

import secrets

from aiohttp import web
from localstripe.resources import List, StripeObject, store

from . import webhooks
from .common import (
    Routes,
    StripeError,
    amount_param,
    is_true,
    merge_metadata,
    no_such,
    now,
    ok,
    params_of,
    refuse_unknown,
    string_param,
)

ACCOUNT_LINK_LIFETIME = 300  # seconds: Stripe's account links last a few minutes
IDENTITY_DOCUMENT = "individual.verification.document"
# What Stripe asks an individual in France before transfers (a representative list).
INITIAL_REQUIREMENTS = ["business_profile.mcc", "business_profile.url", "business_type", "external_account",
                        "individual.address.city", "individual.address.line1", "individual.address.postal_code",
                        "individual.dob.day", "individual.dob.month", "individual.dob.year", "individual.email",
                        "individual.first_name", "individual.last_name", "tos_acceptance.date",
                        "tos_acceptance.ip"]
UPDATABLE = {"metadata", "email", "business_profile", "business_type", "capabilities", "default_currency",
             "settings", "tos_acceptance", "individual", "company", "expand"}
CREATABLE = UPDATABLE | {"type", "country", "controller"}
OBSERVED = ("details_submitted", "charges_enabled", "payouts_enabled", "capabilities", "requirements",
            "metadata", "email", "business_profile", "business_type")

routes = Routes()


def _requirements(*, due: list[str], past_due: bool, deadline: int | None = None) -> dict:
    return {"alternatives": [], "current_deadline": deadline, "currently_due": list(due), "errors": [],
            "eventually_due": list(due), "past_due": list(due) if past_due else [],
            "pending_verification": [], "disabled_reason": "requirements.past_due" if past_due and due else None}


def _controller(account_type: str, controller: dict | None) -> tuple[str, dict]:
    """Stripe's `type` and `controller` from either way of creating an account."""
    if controller:
        dashboard = (controller.get("stripe_dashboard") or {}).get("type", "full")
        collection = controller.get("requirement_collection", "stripe")
        kind = {"express": "express", "full": "standard"}.get(dashboard, "custom" if collection == "application"
                                                              else "none")
        return kind, {"type": "application", "is_controller": True,
                      "fees": {"payer": (controller.get("fees") or {}).get("payer", "account")},
                      "losses": {"payments": (controller.get("losses") or {}).get("payments", "stripe")},
                      "requirement_collection": collection, "stripe_dashboard": {"type": dashboard}}
    defaults = {"express": ("application", "application", "stripe", "express"),
                "custom": ("application", "application", "application", "none"),
                "standard": ("account", "stripe", "stripe", "full")}
    if account_type not in defaults:
        raise StripeError(400, "Invalid type: must be one of custom, express, or standard, or give controller "
                               "parameters.", param="type")
    payer, losses, collection, dashboard = defaults[account_type]
    return account_type, {"type": "application", "is_controller": True, "fees": {"payer": payer},
                          "losses": {"payments": losses}, "requirement_collection": collection,
                          "stripe_dashboard": {"type": dashboard}}


class Account(StripeObject):
    object = "account"
    _id_prefix = "acct_"

    def __init__(self, type=None, controller=None, country=None, email=None, capabilities=None,  # noqa: A002
                 metadata=None, business_type=None, business_profile=None, default_currency=None,
                 settings=None, tos_acceptance=None, individual=None, company=None):
        kind, controller_info = _controller(type, controller)
        super().__init__()
        self.type = kind
        self.controller = controller_info
        self.country = (country or "FR").upper()
        self.default_currency = default_currency or "eur"
        self.email = email
        self.business_type = business_type
        self.business_profile = {"mcc": None, "name": None, "product_description": None, "support_email": None,
                                 "url": None, **(business_profile or {})}
        self.metadata = merge_metadata({}, metadata)
        self.capabilities = {}
        self.settings = {"payouts": {"schedule": {"interval": "daily", "delay_days": 7}}, **(settings or {})}
        self.tos_acceptance = {"date": None, "ip": None, **(tos_acceptance or {})}
        self.external_accounts = {"object": "list", "data": [], "has_more": False, "total_count": 0,
                                  "url": f"/v1/accounts/{self.id}/external_accounts"}
        self.future_requirements = _requirements(due=[], past_due=False)
        self._individual = individual or {}
        self._company = company or {}
        self._set_capabilities(capabilities or {})
        self._start_over()

    # The states that onboarding decides ------------------------------------------------
    def _start_over(self) -> None:
        self.details_submitted = False
        self.charges_enabled = False
        self.payouts_enabled = False
        self.capabilities = {name: "inactive" for name in self.capabilities}
        self.requirements = _requirements(due=INITIAL_REQUIREMENTS, past_due=True)

    def _complete(self) -> None:
        self.details_submitted = True
        self.capabilities = {name: "active" for name in self.capabilities}
        self.charges_enabled = self.capabilities.get("card_payments") == "active"
        self.payouts_enabled = True
        self.requirements = _requirements(due=[], past_due=False)
        self.business_type = self.business_type or "individual"
        self.tos_acceptance = {**self.tos_acceptance, "date": int(now()), "ip": "127.0.0.1"}
        if not self.external_accounts["data"]:
            self.external_accounts["data"] = [{"id": "ba_" + secrets.token_hex(7), "object": "bank_account",
                                               "account": self.id, "country": "FR", "currency": "eur",
                                               "last4": "0003", "status": "new", "default_for_currency": True}]
            self.external_accounts["total_count"] = 1

    def _require_document(self, deadline: int | None) -> None:
        self.details_submitted = True
        if deadline is None:
            self.capabilities = {name: "inactive" for name in self.capabilities}
            self.charges_enabled = False
            self.payouts_enabled = False
        self.requirements = _requirements(due=[IDENTITY_DOCUMENT], past_due=deadline is None, deadline=deadline)

    def _set_capabilities(self, requested: dict) -> None:
        if not isinstance(requested, dict):
            raise StripeError(400, "Invalid object", param="capabilities")
        for name, wish in requested.items():
            if not isinstance(wish, dict) or "requested" not in wish:
                raise StripeError(400, f"Missing required param: capabilities[{name}][requested].",
                                  param=f"capabilities[{name}][requested]")
            if is_true(wish["requested"]):
                ready = getattr(self, "details_submitted", False) and not self.requirements["past_due"]
                self.capabilities.setdefault(name, "active" if ready else "inactive")
            else:
                self.capabilities.pop(name, None)

    def _snapshot(self) -> dict:
        exported = self._export()
        return {name: exported[name] for name in OBSERVED}

    @property
    def _can_receive_transfers(self) -> bool:
        return self.capabilities.get("transfers") == "active"

    @property
    def _has_express_dashboard(self) -> bool:
        return self.controller["stripe_dashboard"]["type"] == "express"

    @classmethod
    def _api_retrieve(cls, id):  # noqa: A002 (localstripe's signature)
        account = store.get(f"account:{id}")
        if account is None:
            raise no_such("account", id, param="account")
        return account


def change(account: Account, transition, *args) -> Account:
    """Apply an onboarding transition and announce it as Stripe does."""
    before = account._snapshot()
    transition(account, *args)
    after = account._snapshot()
    previous = {name: value for name, value in before.items() if after[name] != value}
    if previous:
        webhooks.emit("account.updated", account, account=account.id, previous=previous)
    return account


def complete(account_id: str) -> Account:
    return change(Account._api_retrieve(account_id), Account._complete)


def require_document(account_id: str, *, deadline: int | None = None) -> Account:
    return change(Account._api_retrieve(account_id), Account._require_document, deadline)


def start_over(account_id: str) -> Account:
    return change(Account._api_retrieve(account_id), Account._start_over)


# --- Account links and login links (tokens kept in the store, pages in onboarding.py) -------

def new_account_link(*, account: str, refresh_url: str, return_url: str, kind: str, base_url: str) -> dict:
    token = secrets.token_urlsafe(16)
    created = int(now())
    store[f"alma_account_link:{token}"] = {"account": account, "refresh_url": refresh_url,
                                          "return_url": return_url, "type": kind, "state": "new",
                                          "expires_at": created + ACCOUNT_LINK_LIFETIME}
    return {"object": "account_link", "created": created, "expires_at": created + ACCOUNT_LINK_LIFETIME,
            "url": f"{base_url}/connect/onboarding/{token}"}


def account_link(token: str) -> dict | None:
    return store.get(f"alma_account_link:{token}")


def login_link_account(token: str) -> str | None:
    return store.get(f"alma_login_link:{token}")


def _base_url(request: web.Request) -> str:
    return f"{request.scheme}://{request.host}"


# --- Routes -------------------------------------------------------------------------------

def _expand(params: dict):
    return params.pop("expand", None)


async def create_account(request: web.Request) -> web.Response:
    params = await params_of(request)
    refuse_unknown(params, CREATABLE)
    expand = _expand(params)
    if not params.get("type") and not params.get("controller"):
        raise StripeError(400, "You must provide either `type` or `controller` when creating an account.",
                          param="type")
    account = Account(**params)
    return ok(account._export(expand=expand))


async def list_accounts(request: web.Request) -> web.Response:
    params = await params_of(request)
    accounts = List("/v1/accounts", limit=params.get("limit"), starting_after=params.get("starting_after"))
    accounts._list = sorted((value for key, value in store.items() if key.startswith("account:")),
                            key=lambda account: account.created, reverse=True)
    return ok(accounts._export())


async def retrieve_account(request: web.Request, account_id: str) -> web.Response:
    params = await params_of(request)
    return ok(Account._api_retrieve(account_id)._export(expand=_expand(params)))


def _update(account: Account, params: dict) -> None:
    if "capabilities" in params:
        account._set_capabilities(params.pop("capabilities"))
    if "metadata" in params:
        account.metadata = merge_metadata(account.metadata, params.pop("metadata"))
    for name in ("business_profile", "settings", "tos_acceptance"):
        if name in params:
            setattr(account, name, {**getattr(account, name), **(params.pop(name) or {})})
    for name in ("individual", "company"):
        if name in params:
            setattr(account, f"_{name}", {**getattr(account, f"_{name}"), **(params.pop(name) or {})})
    for name, value in params.items():
        setattr(account, name, value)


async def update_account(request: web.Request, account_id: str) -> web.Response:
    params = await params_of(request)
    refuse_unknown(params, UPDATABLE)
    expand = _expand(params)
    account = change(Account._api_retrieve(account_id), _update, params)
    return ok(account._export(expand=expand))


async def create_account_link(request: web.Request) -> web.Response:
    params = await params_of(request)
    refuse_unknown(params, {"account", "refresh_url", "return_url", "type", "collect", "collection_options",
                            "expand"})
    account_id = string_param(params, "account", required=True)
    Account._api_retrieve(account_id)
    kind = string_param(params, "type", required=True)
    if kind not in ("account_onboarding", "account_update"):
        raise StripeError(400, f"Invalid type: {kind}", param="type")
    link = new_account_link(account=account_id, kind=kind, base_url=_base_url(request),
                            refresh_url=string_param(params, "refresh_url", required=True),
                            return_url=string_param(params, "return_url", required=True))
    return ok(link)


async def create_login_link(request: web.Request, account_id: str) -> web.Response:
    account = Account._api_retrieve(account_id)
    if not account._has_express_dashboard:
        raise StripeError(400, "Login links are only for accounts that use the Express Dashboard.",
                          param="account")
    if not account.details_submitted:
        raise StripeError(400, "This account has not completed onboarding: no Express Dashboard yet.",
                          param="account")
    token = secrets.token_urlsafe(16)
    store[f"alma_login_link:{token}"] = account_id
    return ok({"object": "login_link", "created": int(now()),
               "url": f"{_base_url(request)}/connect/express/{token}"})


async def configure_account(request: web.Request, account_id: str) -> web.Response:
    """POST /_config/accounts/{id}: state=complete|document|new [deadline=epoch]."""
    params = await params_of(request)
    state = params.get("state")
    if state == "complete":
        account = complete(account_id)
    elif state == "document":
        deadline = amount_param(params, "deadline", required=False)
        account = require_document(account_id, deadline=deadline)
    elif state == "new":
        account = start_over(account_id)
    else:
        raise StripeError(400, "state must be complete, document or new", param="state")
    return ok(account._export())


routes.add("POST", r"/v1/accounts", create_account)
routes.add("GET", r"/v1/accounts", list_accounts)
routes.add("GET", r"/v1/accounts/(?P<account_id>acct_\w+)", retrieve_account)
routes.add("POST", r"/v1/accounts/(?P<account_id>acct_\w+)", update_account)
routes.add("POST", r"/v1/accounts/(?P<account_id>acct_\w+)/login_links", create_login_link)
routes.add("POST", r"/v1/account_links", create_account_link)
routes.add("POST", r"/_config/accounts/(?P<account_id>acct_\w+)", configure_account)
