"""Benchmark of the 50-minute calendar job: 1,000 feeds served by a local server that takes
200 ms per answer (with ETag support), synced twice. Prints the wall time of each run and
the share of 304 answers in the second one.

    .venv/bin/python bench/calsync_bench.py [--feeds 1000] [--workers 50] [--delay 0.2]

Uses a fresh SQLite file in /tmp unless DATABASE_URL is set (e.g. a PostgreSQL database of
your own: the tables are created with `migrate`). The server listens on 127.0.0.1 only.
"""
import argparse
import hashlib
import os
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def feed_body(n: int) -> bytes:
    day = 1 + n % 27
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Bench//EN\r\n"
            f"BEGIN:VEVENT\r\nUID:bench-{n}@example.com\r\nDTSTAMP:20260101T000000Z\r\n"
            f"DTSTART;VALUE=DATE:202703{day:02d}\r\nDTEND;VALUE=DATE:202703{day + 1:02d}\r\n"
            "SUMMARY:Reserved\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n").encode()


class Handler(BaseHTTPRequestHandler):
    delay = 0.2
    counts = {200: 0, 304: 0}
    lock = threading.Lock()

    def do_GET(self):  # noqa: N802 (http.server's naming)
        time.sleep(self.delay)
        n = int(self.path.strip("/").split(".")[0])
        body = feed_body(n)
        etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
        status = 304 if self.headers.get("If-None-Match") == etag else 200
        with self.lock:
            self.counts[status] += 1
        self.send_response(status)
        self.send_header("ETag", etag)
        if status == 200:
            self.send_header("Content-Type", "text/calendar")
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status == 200:
            self.wfile.write(body)

    def log_message(self, *args):
        pass


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "almaheritage.settings.test")
    import django

    django.setup()
    from django.conf import settings

    settings.CALSYNC_ALLOW_LOOPBACK = True  # the feeds live on 127.0.0.1
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def create_feeds(count: int, port: int) -> list[int]:
    from decimal import Decimal

    from accounts.models import User
    from calsync.models import Feed
    from domains.models import Domain
    from lodgings.models import Lodging, Unit

    owner = User.objects.create_user(email=f"bench-{time.time_ns()}@example.com", password="x")
    domain = Domain.objects.create(owner=owner, name="Bench", slug=f"bench-{owner.pk}", heritage_kind="chateau")
    lodging = Lodging.objects.create(domain=domain, kind="chambres_hotes", title="Bench", slug=f"bench-{owner.pk}")
    units = Unit.objects.bulk_create(Unit(lodging=lodging, name=f"Room {n}", nightly_price=Decimal("100"))
                                     for n in range(count))
    feeds = Feed.objects.bulk_create(Feed(unit=unit, url=f"http://127.0.0.1:{port}/{n}.ics")
                                     for n, unit in enumerate(units))
    return [feed.pk for feed in feeds]


def run(feed_ids: list[int], workers: int) -> tuple[float, list]:
    from calsync.jobs import sync_inline

    started = time.monotonic()
    outcomes = sync_inline(feed_ids, workers=workers)
    return time.monotonic() - started, outcomes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=0, help="default: 50 on PostgreSQL, 12 on SQLite")
    parser.add_argument("--delay", type=float, default=0.2)
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tempfile.mkdtemp()}/calsync_bench.sqlite3"
    setup_django(database_url)
    Handler.delay = args.delay
    ThreadingHTTPServer.request_queue_size = 1024  # the default backlog (5) drops parallel connects
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    feed_ids = create_feeds(args.feeds, server.server_address[1])
    from calsync.jobs import default_workers

    args.workers = args.workers or default_workers()
    print(f"{len(feed_ids)} feeds, server answers in {args.delay * 1000:.0f} ms, {args.workers} parallel syncs, "
          f"database {database_url.split('://')[0]}")

    for label in ("first run", "second run"):
        before = dict(Handler.counts)
        wall, outcomes = run(feed_ids, args.workers)
        ok = sum(1 for o in outcomes if o.ok)
        not_modified = sum(1 for o in outcomes if o.not_modified)
        served_304 = Handler.counts[304] - before[304]
        print(f"{label}: {wall:.1f} s wall time, {ok}/{len(feed_ids)} ok, "
              f"{not_modified} not modified ({100 * not_modified / len(feed_ids):.0f} % 304; server sent "
              f"{served_304} 304s), {len(feed_ids) - ok} failed")
    from bookings.models import ExternalBlock

    print(f"blocks stored: {ExternalBlock.objects.count()}; budget: 50 min = 3000 s")
    server.shutdown()


if __name__ == "__main__":
    main()
