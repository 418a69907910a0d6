"""The local Stripe server for the payments tests (TESTING.md): one per test session (per
xdist worker), on a free port of 127.0.0.1, emptied before each test; settings point at it.
Plus bookable offers and bookings made through the real booking services."""
from __future__ import annotations

import hashlib
import hmac
import json
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from django.utils import timezone

from bookings import services as bookings

BASE_DIR = Path(__file__).resolve().parents[2]
SECRET_KEY = "sk_test_alma_tests"  # noqa: S105
PUBLISHABLE_KEY = "pk_test_alma_tests"
WEBHOOK_SECRET = "whsec_alma_tests"  # noqa: S105
VISA = "4242424242424242"
DECLINED = "4000000000000341"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def localstripe_url():
    port = _free_port()
    log = tempfile.NamedTemporaryFile(prefix="localstripe-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen([sys.executable, "-m", "payouts.localstripe_server", "--port", str(port)],
                               cwd=BASE_DIR, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            requests.get(f"{url}/js.stripe.com/v3/", timeout=1).raise_for_status()
            break
        except requests.RequestException:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"local Stripe server did not start: {Path(log.name).read_text()}") from None
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=10)
    log.close()
    Path(log.name).unlink(missing_ok=True)


@dataclass
class StripeServer:
    url: str

    def pay(self, intent_id: str, client_secret: str, *, card: str = VISA) -> requests.Response:
        """What Stripe.js does when the traveller submits the card Element."""
        body = {"key": PUBLISHABLE_KEY, "client_secret": client_secret,
                "payment_method_data": {"type": "card", "card": {"number": card, "exp_month": "12",
                                                                  "exp_year": "2034", "cvc": "123"}}}
        return requests.post(f"{self.url}/v1/payment_intents/{intent_id}/confirm", data=json.dumps(body), timeout=5)

    def intent(self, intent_id: str) -> dict:
        return self._get(f"/v1/payment_intents/{intent_id}")

    def refunds(self, intent_id: str) -> list[dict]:
        return self._get(f"/v1/refunds?payment_intent={intent_id}")["data"]

    def send_webhooks_to(self, url: str) -> None:
        requests.post(f"{self.url}/_config/webhooks/alma", data={"url": url, "secret": WEBHOOK_SECRET},
                      timeout=5).raise_for_status()

    def _get(self, path: str) -> dict:
        response = requests.get(self.url + path, headers={"Authorization": f"Bearer {SECRET_KEY}"}, timeout=5)
        response.raise_for_status()
        return response.json()


@pytest.fixture
def stripe_server(localstripe_url, settings) -> StripeServer:
    requests.delete(f"{localstripe_url}/_config/data", timeout=5).raise_for_status()
    requests.delete(f"{localstripe_url}/_config/webhooks", timeout=5).raise_for_status()
    settings.STRIPE_API_BASE = localstripe_url
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_JS_URL = f"{localstripe_url}/js.stripe.com/v3/"
    return StripeServer(localstripe_url)


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
