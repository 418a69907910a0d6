"""Readiness checks: can this process reach what it needs? Each check has a short timeout and
runs in its own thread, so a dependency that hangs costs the probe HEALTH_CHECK_TIMEOUT at
most, never a gunicorn worker for minutes. Results carry a status and a latency, never a
host, a URL or an error message (those may name internal addresses or credentials): only the
exception's class name."""
from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import requests
from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.db.utils import load_backend
from kombu import Connection


def _timeout() -> float:
    return float(getattr(settings, "HEALTH_CHECK_TIMEOUT", 2.0))


def check_database() -> None:
    """A new connection, not the request's: readiness means a fresh worker could start. The
    connect timeout is forced short whatever DATABASES says."""
    config = dict(settings.DATABASES["default"])
    options = dict(config.get("OPTIONS") or {})
    engine = config["ENGINE"]
    seconds = max(1, int(_timeout()))
    if "postgresql" in engine:
        options["connect_timeout"] = seconds
    elif "sqlite" in engine:
        options["timeout"] = seconds
    config["OPTIONS"] = options
    config.setdefault("TIME_ZONE", None)
    config["CONN_MAX_AGE"] = 0
    wrapper = load_backend(engine).DatabaseWrapper(config, "readyz")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        wrapper.close()


def check_broker() -> None:
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=_timeout(),
                    transport_options={**settings.CELERY_BROKER_TRANSPORT_OPTIONS,
                                       "socket_timeout": _timeout(), "socket_connect_timeout": _timeout(),
                                       "max_retries": 0}) as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=_timeout())


def check_cache() -> None:
    cache = caches["default"]
    cache.set("readyz", "1", timeout=10)
    if cache.get("readyz") != "1":
        raise RuntimeError("cache did not keep a value")


def check_stripe() -> None:
    """Reachability only: no key is sent (an unauthenticated call is answered 401 at once),
    so the probe can neither spend nor leak anything."""
    response = requests.get(f"{settings.STRIPE_API_BASE.rstrip('/')}/v1/balance", timeout=_timeout(),
                            allow_redirects=False)
    if response.status_code >= 500:
        raise RuntimeError(f"HTTP {response.status_code}")


def checks() -> dict[str, Callable[[], None]]:
    found = {"database": check_database, "broker": check_broker, "cache": check_cache}
    if settings.STRIPE_SECRET_KEY:
        found["stripe"] = check_stripe
    return found


def _timed(check: Callable[[], None]) -> dict:
    started = time.perf_counter()
    try:
        check()
    except Exception as exc:  # noqa: BLE001 — any failure is "down", reported by class only
        return {"status": "down", "latency_ms": _ms(started), "error": type(exc).__name__}
    finally:
        connections.close_all()  # this thread's connections, if a check opened any
    return {"status": "ok", "latency_ms": _ms(started)}


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def readiness() -> tuple[bool, dict[str, dict]]:
    """(all up, {name: {status, latency_ms[, error]}}), the checks run in parallel."""
    wanted = checks()
    results: dict[str, dict] = {}
    pool = ThreadPoolExecutor(max_workers=len(wanted), thread_name_prefix="readyz")
    started = time.perf_counter()
    futures = {name: pool.submit(_timed, check) for name, check in wanted.items()}
    for name, future in futures.items():
        left = max(0.0, _timeout() + 1.0 - (time.perf_counter() - started))
        try:
            results[name] = future.result(timeout=left)
        except FutureTimeout:
            results[name] = {"status": "down", "latency_ms": _ms(started), "error": "Timeout"}
    # Never wait for a hung check: its thread ends with its own socket timeout.
    pool.shutdown(wait=False, cancel_futures=True)
    return all(result["status"] == "ok" for result in results.values()), results
