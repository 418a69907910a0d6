"""Stripe Connect onboarding of owners ("Mon compte > Stripe Connect", docs/payouts.md).

The owner's connected account is created once (country FR, `transfers` requested, Stripe
collects the requirements and hosts the dashboard), then the owner goes through Stripe's
onboarding by an Account Link. Coming back to the return URL proves nothing, so the account
is fetched again there, and kept current by every `account.updated` event.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from . import stripe_adapter as stripe
from .models import ConnectedAccount

log = logging.getLogger(__name__)


def open_account(*, owner: User) -> ConnectedAccount:
    """The owner's connected account, created at Stripe the first time (idempotency key from
    the owner's id and join date, so a double click creates one account)."""
    existing = ConnectedAccount.objects.filter(owner=owner).first()
    if existing is not None:
        return existing
    data = stripe.create_account(email=owner.email, owner_id=owner.pk,
                                 idempotency_key=f"alma-connect-{owner.pk}-{owner.date_joined:%Y%m%d%H%M%S}")
    try:
        with transaction.atomic():
            account = ConnectedAccount.objects.create(owner=owner, stripe_account_id=data["id"])
    except IntegrityError:  # the other click stored it first
        return ConnectedAccount.objects.get(owner=owner)
    return store(account, data)


def onboarding_url(*, account: ConnectedAccount, refresh_url: str, return_url: str) -> str:
    """A fresh Account Link (they expire within minutes and serve once)."""
    return stripe.create_account_link(account_id=account.stripe_account_id, refresh_url=refresh_url,
                                      return_url=return_url)


def dashboard_url(*, account: ConnectedAccount) -> str:
    return stripe.create_login_link(account.stripe_account_id)


def refresh(*, account: ConnectedAccount) -> ConnectedAccount:
    """Ask Stripe how the account is now (the return from onboarding, account.updated)."""
    return store(account, stripe.retrieve_account(account.stripe_account_id))


def store(account: ConnectedAccount, data: dict) -> ConnectedAccount:
    """Keep what we show and decide on from Stripe's Account object."""
    requirements = data.get("requirements") or {}
    deadline = requirements.get("current_deadline")
    account.details_submitted = bool(data.get("details_submitted"))
    account.transfers_capability = str((data.get("capabilities") or {}).get("transfers") or "inactive")[:20]
    account.payouts_enabled = bool(data.get("payouts_enabled"))
    account.requirements_due = list(requirements.get("currently_due") or [])
    account.requirements_past_due = list(requirements.get("past_due") or [])
    account.requirements_deadline = datetime.fromtimestamp(int(deadline), tz=UTC) if deadline else None
    account.disabled_reason = str(requirements.get("disabled_reason") or "")[:255]
    account.save()
    return account


def account_updated(*, data: dict) -> ConnectedAccount | None:
    """`account.updated`: fetched again rather than trusting the event's copy, so events
    arriving out of order never bring back an older state. Unknown accounts are ignored."""
    account = ConnectedAccount.objects.filter(stripe_account_id=str(data.get("id", ""))).first()
    if account is None:
        log.warning("account.updated for %s, which is not one of ours", data.get("id"))
        return None
    return refresh(account=account)


# --- In words, for the owner --------------------------------------------------------------------

@dataclass(frozen=True)
class ConnectState:
    code: str  # none, incomplete, action_required, disabled, verifying, ready
    label: str
    detail: str

    @property
    def ready(self) -> bool:
        return self.code == "ready"


def state_of(account: ConnectedAccount | None) -> ConnectState:
    if account is None:
        return ConnectState("none", _("Non connecté"), _(
            "Reliez votre compte Stripe pour recevoir vos gains : vos réservations vous rapportent déjà, "
            "les versements vous attendent jusqu'à ce que votre compte soit prêt."))
    if account.can_receive_transfers:
        return ConnectState("ready", _("Prêt"), _(
            "Votre compte peut recevoir vos gains : ils vous sont versés au début de chaque mois."))
    if not account.details_submitted:
        return ConnectState("incomplete", _("En attente : inscription à terminer"), _(
            "Votre inscription chez Stripe n'est pas terminée. Vos gains vous attendent jusqu'à ce qu'elle le soit."))
    # A new account is disabled too (everything past due) until its onboarding is submitted.
    if account.requirements_past_due or account.disabled_reason:
        return ConnectState("disabled", _("En attente : action requise"), _(
            "Stripe a suspendu les virements vers votre compte tant que des informations manquent. "
            "Vos gains vous attendent."))
    if account.requirements_due:
        return ConnectState("action_required", _("En attente : informations demandées"), _(
            "Stripe demande encore des informations pour activer les virements."))
    return ConnectState("verifying", _("En attente de vérification par Stripe"), _(
        "Stripe vérifie vos informations ; cela prend en général quelques minutes à quelques jours."))


# What Stripe asks for, grouped in words (Stripe's requirement codes are not for people).
REQUIREMENT_GROUPS = (
    ("individual.verification", _("Une pièce d'identité")),
    ("external_account", _("Votre compte bancaire (IBAN)")),
    ("tos_acceptance", _("L'acceptation des conditions de Stripe")),
    ("individual", _("Vos informations personnelles (nom, date de naissance, adresse)")),
    ("business", _("Votre activité")),
)


def requirements_in_words(codes: list[str]) -> list[str]:
    words = []
    for code in codes:
        label = next((label for prefix, label in REQUIREMENT_GROUPS if code.startswith(prefix)),
                     _("Autre information demandée par Stripe"))
        if label not in words:
            words.append(label)
    return [str(word) for word in words]
