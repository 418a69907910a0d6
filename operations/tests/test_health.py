"""/healthz and /readyz as a load balancer sees them: JSON, no login, 503 and the culprit's name
when a dependency is down, answered quickly even when one hangs, and nothing secret in it."""
import json
import socket
import time

import pytest

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A port nothing listens on: bound, then released."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def readyz(client):
    response = client.get("/readyz")
    assert response["Content-Type"] == "application/json"
    return response, json.loads(response.content)


def test_healthz_answers_without_touching_anything(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_each_dependency_with_its_latency(client):
    response, body = readyz(client)
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "cache"}  # Stripe not configured in tests
    for check in body["checks"].values():
        assert check["status"] == "ok"
        assert isinstance(check["latency_ms"], float) and check["latency_ms"] >= 0


def test_readyz_checks_stripe_when_it_is_configured(client, stripe_server):
    response, body = readyz(client)
    assert response.status_code == 200, body
    assert body["checks"]["stripe"]["status"] == "ok"


def test_database_down(client, monkeypatch, settings):
    port = closed_port()
    monkeypatch.setitem(settings.DATABASES, "default", {
        **settings.DATABASES["default"], "ENGINE": "django.db.backends.postgresql", "NAME": "alma", "USER": "alma",
        "PASSWORD": "s3cret-db-password", "HOST": "127.0.0.1", "PORT": str(port), "OPTIONS": {}})
    response, body = readyz(client)
    assert response.status_code == 503
    assert body["status"] == "down"
    assert body["checks"]["database"]["status"] == "down"
    assert body["checks"]["broker"]["status"] == "ok"
    text = response.content.decode()
    assert "s3cret-db-password" not in text and str(port) not in text


def test_broker_down(client, settings):
    port = closed_port()
    settings.CELERY_BROKER_URL = f"redis://:broker-secret@127.0.0.1:{port}/13"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    response, body = readyz(client)
    assert response.status_code == 503
    assert body["checks"]["broker"]["status"] == "down"
    assert body["checks"]["database"]["status"] == "ok"
    assert "broker-secret" not in response.content.decode()


def test_cache_down(client, settings):
    port = closed_port()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{port}/13"}}
    response, body = readyz(client)
    assert response.status_code == 503
    assert body["checks"]["cache"]["status"] == "down"


def test_stripe_down(client, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_never_shown"
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{closed_port()}"
    response, body = readyz(client)
    assert response.status_code == 503
    assert body["checks"]["stripe"] == {"status": "down", "latency_ms": body["checks"]["stripe"]["latency_ms"],
                                        "error": "ConnectionError"}
    assert "sk_test_never_shown" not in response.content.decode()


def test_a_hanging_dependency_costs_the_probe_its_timeout_only(client, settings):
    # A server that accepts connections and never answers: the worst kind of outage.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        settings.STRIPE_SECRET_KEY = "sk_test_x"
        settings.STRIPE_API_BASE = f"http://127.0.0.1:{silent.getsockname()[1]}"
        settings.HEALTH_CHECK_TIMEOUT = 0.5
        started = time.monotonic()
        response, body = readyz(client)
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert body["checks"]["stripe"]["status"] == "down"
    assert body["checks"]["database"]["status"] == "ok"
    assert elapsed < 2.5


def test_health_endpoints_need_no_login_and_refuse_writes(client):
    assert client.post("/readyz").status_code == 405
    assert client.get("/healthz").status_code == 200
