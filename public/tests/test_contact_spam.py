"""The contact form against robots and floods: a honeypot, a minimum fill time signed in the
form, and a limit per address and per session — each refusal says why, in French or English."""
import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from public.forms import HONEYPOT, STARTED_SALT
from public.models import ContactMessage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def spam_checks_on():
    cache.clear()
    with override_settings(CONTACT_RATE_LIMIT=5, CONTACT_RATE_PERIOD=600, CONTACT_MIN_FILL_SECONDS=3):
        yield
    cache.clear()


def started(seconds_ago: float) -> str:
    return signing.TimestampSigner(salt=STARTED_SALT).sign(str(int(time.time() - seconds_ago)))


def message(n: int = 0, **extra) -> dict:
    return {"subject": "other", "name": "Lucie", "email": f"lucie{n}@example.fr", "message": "Bonjour",
            "started": started(30), **extra}


def test_a_person_who_took_their_time_is_sent(client):
    page = client.get(reverse("contact")).content.decode()
    assert 'name="started"' in page and f'name="{HONEYPOT}"' in page
    assert client.post(reverse("contact"), message()).status_code == 302
    assert ContactMessage.objects.count() == 1


def test_a_filled_honeypot_is_refused(client):
    response = client.post(reverse("contact"), message(**{HONEYPOT: "http://spam.example"}))
    assert response.status_code == 400 and "envoi automatique" in response.content.decode()
    assert not ContactMessage.objects.exists()


@pytest.mark.parametrize("token", ["", "forged", None])
def test_a_form_sent_too_fast_or_without_its_token_is_refused(client, token):
    token = started(0) if token is None else token
    response = client.post(reverse("contact"), message(started=token))
    assert response.status_code == 400
    assert "trop vite" in response.content.decode() or "expiré" in response.content.decode()
    assert not ContactMessage.objects.exists()


def test_the_sixth_message_in_ten_minutes_is_refused_per_address(client):
    statuses = [client.post(reverse("contact"), message(n)).status_code for n in range(6)]
    assert statuses == [302] * 5 + [429]
    assert ContactMessage.objects.count() == 5
    # A new session (cookies dropped) from the same address changes nothing.
    client.cookies.clear()
    assert client.post(reverse("contact"), message(7)).status_code == 429


def test_the_limit_is_per_session_too(client):
    for n in range(5):
        client.post(reverse("contact"), message(n), REMOTE_ADDR=f"192.0.2.{n}")
    response = client.post(reverse("contact"), message(9), REMOTE_ADDR="192.0.2.99")
    assert response.status_code == 429


def test_the_refusal_speaks_the_visitors_language(client):
    with translation.override("en"):
        url = reverse("contact")  # /en/contact/
    for n in range(5):
        client.post(url, message(n))
    response = client.post(url, message(9))
    assert response.status_code == 429
    assert "many messages" in response.content.decode()
