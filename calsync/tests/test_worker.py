"""A real Celery worker against Redis and PostgreSQL: the beat task fans out one task per
due feed, and the worker fetches them (docs/development.md#test)."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from bookings.models import ExternalBlock
from calsync.models import Feed

from .conftest import ics

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("CALSYNC_TEST_BROKER_URL", "redis://127.0.0.1:6379/8")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),  # the worker must see committed rows
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker needs a shared database"),
]


def redis_available() -> bool:
    try:
        import redis

        redis.Redis.from_url(BROKER, socket_timeout=2).flushdb()  # our own db number
        return True
    except Exception:  # noqa: BLE001
        return False


def test_worker_syncs_every_due_feed(unit, httpserver, tmp_path, monkeypatch):
    if not redis_available():
        pytest.skip("Redis is not running")
    for n in range(3):
        httpserver.expect_request(f"/{n}.ics").respond_with_data(
            ics((f"2027010{n + 1}", f"2027010{n + 2}", f"uid-{n}")), content_type="text/calendar")
        Feed.objects.create(unit=unit, url=httpserver.url_for(f"/{n}.ics"))
    db = connection.settings_dict
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "almaheritage.settings.dev", "CELERY_BROKER_URL": BROKER,
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
           "CALSYNC_ALLOW_LOOPBACK": "1", "ALMA_VAR_DIR": str(tmp_path), "DB_CONN_MAX_AGE": "0"}
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "almaheritage", "worker", "--pool=threads", "--concurrency=4",
         "--loglevel=info", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        # Celery reads CELERY_BROKER_URL from the environment before its own argument
        # (CI exports one): point both at this test's Redis database.
        monkeypatch.setenv("CELERY_BROKER_URL", BROKER)
        Celery(broker=BROKER).send_task("calsync.tasks.sync_calendars", queue="calsync")  # what beat sends
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and worker.poll() is None:
            if ExternalBlock.objects.filter(unit=unit).count() == 3:
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
    assert ExternalBlock.objects.filter(unit=unit).count() == 3, output[-3000:]
    assert output.count("calsync.tasks.sync_one_feed") >= 3
    assert all(feed.last_status == 200 for feed in Feed.objects.all())
