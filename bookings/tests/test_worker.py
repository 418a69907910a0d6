"""A real Celery worker with its embedded beat, against Redis and PostgreSQL: proves the
expire_bookings schedule is wired end to end (docs/development.md#test)."""
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from bookings import services
from bookings.models import Booking, BookingStatus

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("BOOKINGS_TEST_BROKER_URL", "redis://127.0.0.1:6379/5")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),  # the worker must see committed rows
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker needs a shared database"),
]


def redis_available() -> bool:
    try:
        import redis

        client = redis.Redis.from_url(BROKER, socket_timeout=2)
        client.flushdb()  # our own db number: stale messages from an earlier run would confuse the check
        return True
    except Exception:  # noqa: BLE001
        return False


def test_worker_and_beat_expire_an_overdue_booking(traveller, unit, tmp_path):
    if not redis_available():
        pytest.skip("Redis is not running")
    long_ago = timezone.now() - timedelta(days=4)
    booking = services.request_stay(traveller=traveller, unit=unit, arrival=(long_ago + timedelta(days=30)).date(),
                                    departure=(long_ago + timedelta(days=33)).date(), adults=1, children=0,
                                    now=long_ago)
    db = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "almaheritage.settings.dev", "CELERY_BROKER_URL": BROKER,
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
           "EXPIRE_BOOKINGS_EVERY_SECONDS": "2", "ALMA_VAR_DIR": str(tmp_path), "DB_CONN_MAX_AGE": "0"}
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "almaheritage", "worker", "-B", "--pool=solo", "--loglevel=info",
         "--schedule", str(tmp_path / "beat-schedule"), "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and worker.poll() is None:
            booking.refresh_from_db()
            if booking.status == BookingStatus.EXPIRED:
                break
            time.sleep(0.5)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
        log.close()
    output = (tmp_path / "worker.log").read_text()
    assert booking.status == BookingStatus.EXPIRED, output[-3000:]
    assert "bookings.tasks.expire_bookings" in output
    assert Booking.objects.get(pk=booking.pk).events.filter(to_status=BookingStatus.EXPIRED).count() == 1
