"""The local Stripe server for the payments tests (devtools/testing.py): one per test session
(per xdist worker), emptied before each test; settings point at it. Plus bookable offers and
bookings made through the real booking services."""
from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from bookings import services as bookings
from devtools.testing import (
    DECLINED,
    SECRET_KEY,
    VISA,
    WEBHOOK_SECRET,
)

__all__ = ["DECLINED", "SECRET_KEY", "VISA", "WEBHOOK_SECRET"]  # what the tests import from here


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

# The offers are the project's (conftest.py). Payments run on the real clock (the local
# Stripe server knows no other), so the session moves to 20 days from now.

@pytest.fixture
def session(session):
    start = (timezone.now() + timedelta(days=20)).replace(minute=0, second=0, microsecond=0)
    session.start, session.end = start, start + timedelta(hours=2)
    session.save(update_fields=["start", "end"])
    return session


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
