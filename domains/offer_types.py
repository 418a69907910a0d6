"""The registry of offer types (domains, lodgings, experiences). The app that owns an offer
type registers it from its `AppConfig.ready()`, so `domains` works with every offer without
importing the apps above it: the moderation workflow runs their checks and listeners, the
moderation queue lists their waiting rows."""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from accounts.models import User

from .models import Domain, ModeratedOffer


@dataclass
class OfferType:
    checks: list[Callable[[Any, date], list[str]]] = field(default_factory=list)
    listeners: list[Callable[[Any, datetime], None]] = field(default_factory=list)
    dashboard_url: Callable[[Any], str] | None = None
    # What the moderation queue joins to show the owner ("owner", "domain__owner").
    owner_path: str = ""


_types: dict[type, OfferType] = {}


def register_offer_type(model: type, *, check: Callable | None = None, listener: Callable | None = None,
                        dashboard_url: Callable | None = None, owner_path: str = "") -> None:
    """`check(offer, today)` lists what blocks a submission; `listener(offer, now)` runs after
    every status change or applied revision, with `now` (search columns, sessions). Several
    apps may register for one model: checks and listeners add up."""
    offer_type = _types.setdefault(model, OfferType())
    if check:
        offer_type.checks.append(check)
    if listener:
        offer_type.listeners.append(listener)
    if dashboard_url:
        offer_type.dashboard_url = dashboard_url
    if owner_path:
        offer_type.owner_path = owner_path


def offer_models() -> dict[type, str]:
    """Every moderated model with its owner path, in registration order."""
    return {model: offer_type.owner_path for model, offer_type in _types.items() if offer_type.owner_path}


def submission_problems(*, offer: ModeratedOffer, today: date) -> list[str]:
    problems: list[str] = []
    for check in _types[type(offer)].checks:
        problems += check(offer, today)
    return problems


def status_changed(offer: ModeratedOffer, now: datetime) -> None:
    for listener in _types[type(offer)].listeners:
        listener(offer, now)


def offer_dashboard_url(offer: ModeratedOffer) -> str:
    return _types[type(offer)].dashboard_url(offer)


def offer_owner(offer: ModeratedOffer) -> User:
    return offer.owner if isinstance(offer, Domain) else offer.domain.owner


def offer_name(offer: ModeratedOffer) -> str:
    return offer.name if isinstance(offer, Domain) else offer.title
