"""The local Stripe server for the payments tests (devtools/testing.py): one per test session
(per xdist worker), emptied before each test; settings point at it. Plus bookable offers and
bookings made through the real booking services."""
from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bookings import services as bookings
from devtools.testing import (
    DECLINED,
    SECRET_KEY,
    VISA,
    WEBHOOK_SECRET,
    StripeServer,
    local_stripe_server,
    point_settings_at,
)
from domains.models import Domain
from domains.moderation import OfferStatus
from experiences.models import Experience, Session
from lodgings.models import Lodging, Unit

__all__ = ["DECLINED", "SECRET_KEY", "VISA", "WEBHOOK_SECRET"]  # what the tests import from here


@pytest.fixture(scope="session")
def localstripe_url():
    with local_stripe_server() as url:
        yield url


@pytest.fixture
def stripe_server(localstripe_url, settings) -> StripeServer:
    server = StripeServer(localstripe_url)
    server.reset()
    point_settings_at(settings, localstripe_url)
    return server


def signed(payload: bytes, *, secret: str = WEBHOOK_SECRET, at: int | None = None) -> str:
    """A Stripe-Signature header, as Stripe (and the local server) compute it."""
    at = int(time.time()) if at is None else at
    digest = hmac.new(secret.encode(), f"{at}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={at},v1={digest}"


@pytest.fixture
def post_event(client, stripe_server):
    """POST a Stripe event to our webhook, correctly signed."""

    def post(event: dict, *, secret: str = WEBHOOK_SECRET):
        payload = json.dumps(event).encode()
        return client.post("/stripe/webhook/", data=payload, content_type="application/json",
                           HTTP_STRIPE_SIGNATURE=signed(payload, secret=secret))

    return post


def event(kind: str, obj: dict, *, event_id: str = "") -> dict:
    return {"id": event_id or f"evt_{kind.replace('.', '_')}_{obj['id']}", "object": "event", "type": kind,
            "data": {"object": obj}}


# --- Offers and bookings (real booking services, real clock) ---------------------------------

@pytest.fixture
def domain(owner):
    return Domain.objects.create(owner=owner, name="Moulin de la Roche", slug="moulin-de-la-roche",
                                 heritage_kind="moulin", commune="Amboise", status=OfferStatus.PUBLISHED)


@pytest.fixture
def unit(domain):
    lodging = Lodging.objects.create(domain=domain, kind="gite", title="Le Moulin", slug="le-moulin",
                                     status=OfferStatus.PUBLISHED, cleaning_fee=Decimal("40.00"), min_nights=2,
                                     max_nights=14, advance_notice_days=1, booking_mode="request",
                                     full_refund_days=14, late_refund_percent=50)
    return Unit.objects.create(lodging=lodging, name="Le Moulin", nightly_price=Decimal("120.00"),
                               adults_capacity=4, children_capacity=2)


@pytest.fixture
def session(domain):
    experience = Experience.objects.create(
        domain=domain, title="Visite des meules", slug="visite-des-meules", category="workshop", capacity=10,
        price_per_person=Decimal("45.00"), child_price=Decimal("20.00"), booking_mode="instant",
        full_refund_hours=48, late_refund_percent=0, status=OfferStatus.PUBLISHED)
    start = (timezone.now() + timedelta(days=20)).replace(minute=0, second=0, microsecond=0)
    return Session.objects.create(experience=experience, start=start, end=start + timedelta(hours=2), capacity=10)


@pytest.fixture
def accepted_stay(unit, owner, traveller):
    """A stay the owner accepted: awaiting payment for 48 hours (3 nights × 120 € + 40 €)."""
    now = timezone.now()
    arrival = timezone.localdate() + timedelta(days=30)
    booking = bookings.request_stay(traveller=traveller, unit=unit, arrival=arrival,
                                    departure=arrival + timedelta(days=3), adults=2, children=0, now=now)
    bookings.accept(booking=booking, by=owner, now=now)
    booking.refresh_from_db()
    return booking
