"""Timings of the feed reader on the generated hostile calendars (calsync/tests/hostile.py),
the figures of docs/calendar-sync.md#limits. Each file is parsed with the job's budget
(CALSYNC_PARSE_BUDGET); the last line re-checks a unit before a booking (`precheck_unit`, 3 s
in total) whose feed, served on 127.0.0.1, is the 143 KB VTIMEZONE with 1,000 rules.

    .venv/bin/python bench/calsync_hostile_bench.py [--repeat 3]

Uses a fresh SQLite file in /tmp for the re-check.
"""
import argparse
import sys
import tempfile
import threading
import time
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.calsync_bench import setup_django  # noqa: E402

TODAY = date(2026, 12, 1)


def timed(content: bytes, budget: float) -> tuple[float, str]:
    from calsync.parsing import NotACalendar, parse_feed

    started = time.monotonic()
    try:
        result = parse_feed(content, today=TODAY, budget=budget)
        outcome = f"read, {len(result.blocks)} block(s)"
    except NotACalendar as refused:
        outcome = f"refused ({refused})"
    return time.monotonic() - started, outcome


class Feed(BaseHTTPRequestHandler):
    body = b""

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


def precheck_once(port: int) -> float:
    from decimal import Decimal

    from accounts.models import User
    from calsync import precheck
    from calsync.models import Feed as CalendarFeed
    from domains.models import Domain
    from lodgings.models import Lodging, Unit

    owner = User.objects.create_user(email=f"hostile-{time.time_ns()}@example.com", password="x")
    domain = Domain.objects.create(owner=owner, name="Bench", slug=f"hostile-{owner.pk}", heritage_kind="chateau")
    lodging = Lodging.objects.create(domain=domain, kind="gite", title="Bench", slug=f"hostile-{owner.pk}")
    unit = Unit.objects.create(lodging=lodging, name="Gîte", nightly_price=Decimal("100"))
    CalendarFeed.objects.create(unit=unit, url=f"http://127.0.0.1:{port}/tz.ics")
    started = time.monotonic()
    precheck.precheck_unit(unit=unit, now=datetime.now(UTC))
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3, help="runs per file; the best is printed")
    args = parser.parse_args()
    setup_django(f"sqlite:///{tempfile.mkdtemp()}/calsync_hostile.sqlite3")
    from django.conf import settings

    from calsync.tests import hostile

    files = [
        ("100,000-deep nesting", hostile.deep_nesting(100_000)),
        ("5 MB folded line", hostile.folded_line()),
        ("VTIMEZONE with 1,000 rules", hostile.many_zone_rules(1_000)),
        ("2,000 endless daily events", hostile.many_recurrences(2_000)),
    ]
    timed(hostile.HEAD + hostile.STAY + hostile.TAIL, 1.0)  # imports, caches
    for label, content in files:
        runs = [timed(content, settings.CALSYNC_PARSE_BUDGET) for _ in range(args.repeat)]
        best = min(runs)
        print(f"{label} ({len(content) / 1024:,.0f} KB): {best[0]:.2f} s, {best[1][:90]}")

    Feed.body = hostile.many_zone_rules(1_000)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Feed)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    best = min(precheck_once(server.server_address[1]) for _ in range(args.repeat))
    print(f"re-check before a booking, {len(Feed.body) / 1024:,.0f} KB feed: {best:.2f} s "
          f"(bound {settings.CALSYNC_PRECHECK_TIMEOUT:.0f} s)")
    server.shutdown()


if __name__ == "__main__":
    main()
