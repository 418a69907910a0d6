"""Search benchmark (not a test). Builds a separate PostgreSQL database ($BENCH_DB, default
bench_public) with 5,000 domains, 15,000 units, 3,000 experiences and 200,000
bookings/blocks/suspensions (`--units 150000`: ten times all of it), kept as the template
database `<db>_built` and copied for each run; serves the site with gunicorn (2 sync workers)
on 127.0.0.1 and measures, in one run, with wrk (`apt-get install -y wrk`):

- a minimal Django view rendering a template (the yardstick),
- the search page, uniformly random searches (region, dates, party: never twice),
- the search page, a popularity mix (a few regions and weekends draw most searches),
  with the whole-page cache's hit rate (the X-Page-Cache response header),
- the availability endpoint of a random unit for a one-year window,
- the quote endpoint of a random unit for two nights.

It prints median latency, requests/second, the ratio to the minimal view, the CPU per request
of the gunicorn workers and of their PostgreSQL sessions, the load average, and the search
SQL's own EXPLAIN ANALYZE times. Results: bench/RESULTS-search.md.

    BENCH_DB=bench_me .venv/bin/python bench/search_bench.py [--units 150000] [--only search,availability]
    .venv/bin/python bench/search_bench.py --rebuild  # drop and rebuild the data first
    BENCH_CACHE_URL=redis://127.0.0.1:6379/6 …       # the page cache in Redis, as in production
"""
import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = os.environ.get("BENCH_DB", "bench_public")
os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

UNITS_PER_DOMAIN = 3
# At the default scale (15,000 units): 5,000 domains, 3,000 experiences, 130,000 bookings,
# 65,000 imported blocks, 5,000 suspensions (200,000 occupied ranges); --units scales them all.
N_DOMAINS, N_EXPERIENCES, N_BOOKINGS, N_BLOCKS, N_SUSPENSIONS = 5_000, 3_000, 130_000, 65_000, 5_000


def set_scale(units: int) -> None:
    global N_DOMAINS, N_EXPERIENCES, N_BOOKINGS, N_BLOCKS, N_SUSPENSIONS
    factor = units / 15_000
    N_DOMAINS = units // UNITS_PER_DOMAIN
    N_EXPERIENCES, N_BOOKINGS = int(3_000 * factor), int(130_000 * factor)
    N_BLOCKS, N_SUSPENSIONS = int(65_000 * factor), int(5_000 * factor)
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"


def _admin():
    import psycopg

    return psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True)


def create_database(rebuild: bool, *, scale: str) -> date | None:
    """A fresh copy of the built data set: `<db>_built` is a template database labelled with
    its scale (like bench/payouts_bench.py), copied in seconds; True when it must be built.
    The run's own database is dropped and copied again each time, so every run starts
    from the data as built, and migrations added since are applied after the copy. Returns
    the day the data was built around (its dates are relative to it), None when it must be built."""
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        label = conn.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                             [f"{DB_NAME}_built"]).fetchone()
        if label and label[0].startswith(scale + " ") and not rebuild:
            conn.execute(f'CREATE DATABASE "{DB_NAME}" TEMPLATE "{DB_NAME}_built" STRATEGY = FILE_COPY')
            return date.fromisoformat(label[0].rsplit("=", 1)[1])
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    return None


def keep_as_template(*, scale: str, today: date) -> None:
    from django.db import connection

    connection.close()  # a template must have no session
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}_built"')
        conn.execute(f'CREATE DATABASE "{DB_NAME}_built" TEMPLATE "{DB_NAME}" STRATEGY = FILE_COPY')
        conn.execute(f"COMMENT ON DATABASE \"{DB_NAME}_built\" IS '{scale} today={today}'")


def migrate() -> bool:
    """Migrations added since the template was built (the occupied-nights column fills
    itself); True when there were some."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        # VACUUM too: the steady state autovacuum keeps in production. Freshly loaded tables have
        # no visibility map, so index-only scans (the owner lists' counts) would read the heap.
        cursor.execute("VACUUM ANALYZE")
    connection.close()
    return bool(pending)


def build(today: date) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    rng = random.Random(42)
    from django.db import connection, transaction

    with transaction.atomic():
        units, lodgings = _offers(rng)
        _occupied(rng, today, units, lodgings)
        _experiences(rng, today)
        from bookings.occupancy import refresh_all

        refresh_all()  # bulk inserts send no signal: the occupied-nights column from the rows
    with connection.cursor() as cursor:
        # VACUUM too: the steady state autovacuum keeps in production. Freshly loaded tables have
        # no visibility map, so index-only scans (the owner lists' counts) would read the heap.
        cursor.execute("VACUUM ANALYZE")


def _offers(rng: random.Random):
    from accounts.models import User
    from domains.geography import Region
    from domains.models import Domain, HeritageKind
    from lodgings.models import Lodging, Unit

    started = time.monotonic()
    owners = User.objects.bulk_create([User(email=f"owner{i}@bench.example", password="!") for i in range(200)])
    regions = [r for r in Region.values if r not in ("corse", "outre-mer")]
    kinds = HeritageKind.values
    domains = Domain.objects.bulk_create([
        Domain(owner=rng.choice(owners), name=f"Domaine {i}", slug=f"domaine-{i}", heritage_kind=rng.choice(kinds),
               region=rng.choice(regions), departement=str(rng.randint(1, 95)).zfill(2), commune=f"Commune {i % 900}",
               latitude=Decimal(f"{rng.uniform(43.0, 50.5):.6f}"), longitude=Decimal(f"{rng.uniform(-4.5, 7.5):.6f}"),
               history="Une longue histoire. " * 20,
               status="published" if rng.random() < 0.95 else "draft", monument_verified=rng.random() < 0.3,
               monument_protection=rng.choice(["", "classe", "inscrit"]))
        for i in range(N_DOMAINS)], batch_size=2000)
    lodgings = Lodging.objects.bulk_create([
        Lodging(domain=d, kind=rng.choice(["gite", "chambres_hotes"]), title=f"Logis {d.pk}", slug=f"logis-{d.pk}",
                status="published" if rng.random() < 0.95 else "submitted", cleaning_fee=Decimal(rng.choice([0, 30, 50])),
                booking_mode=rng.choice(["instant", "request"]), max_nights=30)
        for d in domains], batch_size=2000)
    domain_by_id = {d.pk: d for d in domains}
    units = []
    for lodging in lodgings:
        domain = domain_by_id[lodging.domain_id]
        listed = lodging.status == "published" and domain.status == "published"
        for n in range(UNITS_PER_DOMAIN):
            adults, children = rng.randint(1, 6), rng.randint(0, 2)
            units.append(Unit(lodging=lodging, name=f"Chambre {n + 1}", position=n, adults_capacity=adults,
                              children_capacity=children, nightly_price=Decimal(rng.randint(60, 450)),
                              is_listed=listed, region=domain.region, max_guests=adults + children))
    units = Unit.objects.bulk_create(units, batch_size=5000)
    print(f"  offers: {len(domains)} domains, {len(lodgings)} lodgings, {len(units)} units "
          f"({time.monotonic() - started:.0f} s)", flush=True)
    return units, lodgings


def _ranges(rng: random.Random, start: date, count: int, *, gap: tuple[int, int], length: tuple[int, int]):
    day = start + timedelta(days=rng.randint(0, gap[1]))
    for _ in range(count):
        nights = rng.randint(*length)
        yield day, day + timedelta(days=nights)
        day += timedelta(days=nights + rng.randint(*gap))


def _occupied(rng: random.Random, today: date, units, lodgings) -> None:
    from accounts.models import User
    from bookings.models import Booking, ExternalBlock, service_end_of
    from lodgings.models import Suspension

    started = time.monotonic()
    travellers = User.objects.bulk_create([User(email=f"t{i}@bench.example", password="!") for i in range(500)])
    owner_of = dict(units[0].__class__.objects.values_list("pk", "lodging__domain__owner_id"))
    per_unit = N_BOOKINGS // len(units) + 1
    bookings, n = [], 0
    for unit in units:
        for arrival, departure in _ranges(rng, today - timedelta(days=60), per_unit, gap=(2, 40), length=(1, 7)):
            if n == N_BOOKINGS:
                break
            n += 1
            booking = Booking(reference=f"B{n:08d}", kind="stay", traveller=rng.choice(travellers),
                              owner_id=owner_of[unit.pk], unit=unit, arrival=arrival, departure=departure,
                              status=rng.choice(["confirmed"] * 6 + ["requested", "cancelled"]),
                              total_price=unit.nightly_price * (departure - arrival).days)
            booking.service_end = service_end_of(booking)  # bulk_create skips save()
            bookings.append(booking)
    Booking.objects.bulk_create(bookings, batch_size=5000)
    blocks = []
    for i in range(N_BLOCKS):
        unit = units[i % len(units)]
        start = today + timedelta(days=rng.randint(-30, 400))
        blocks.append(ExternalBlock(unit=unit, start=start, end=start + timedelta(days=rng.randint(1, 6)),
                                    feed_id=unit.pk, source_name="Airbnb", uid=f"b{i}"))
    ExternalBlock.objects.bulk_create(blocks, batch_size=5000)
    suspensions = []
    for i in range(N_SUSPENSIONS):
        start = today + timedelta(days=rng.randint(0, 380))
        suspensions.append(Suspension(lodging=lodgings[i % len(lodgings)], start=start,
                                      end=start + timedelta(days=rng.randint(3, 20))))
    Suspension.objects.bulk_create(suspensions, batch_size=5000)
    print(f"  occupied: {len(bookings)} bookings, {len(blocks)} imported blocks, {len(suspensions)} suspensions "
          f"({time.monotonic() - started:.0f} s)", flush=True)


def _experiences(rng: random.Random, today: date) -> None:
    from datetime import UTC, datetime

    from domains.models import Domain
    from experiences.models import Experience, Session

    domain_ids = list(Domain.objects.values_list("pk", flat=True))
    experiences = Experience.objects.bulk_create([
        Experience(domain_id=rng.choice(domain_ids), title=f"Atelier {i}", slug=f"atelier-{i}", category="workshop",
                   price_per_person=Decimal(rng.randint(10, 90)), status="published", capacity=10)
        for i in range(N_EXPERIENCES)], batch_size=3000)
    sessions = []
    for experience in experiences:
        for week in range(0, 26, 2):
            start = datetime.combine(today + timedelta(days=7 * week + rng.randint(0, 6)),
                                     datetime.min.time(), tzinfo=UTC) + timedelta(hours=rng.choice([9, 14, 16]))
            sessions.append(Session(experience=experience, start=start, end=start + timedelta(hours=2), capacity=10,
                                    places_taken=rng.randint(0, 10)))
    Session.objects.bulk_create(sessions, batch_size=5000, ignore_conflicts=True)
    print(f"  experiences: {len(experiences)} with {len(sessions)} sessions", flush=True)


def unit_ids() -> list[int]:
    import django

    django.setup()
    from lodgings.models import Unit

    return list(Unit.objects.filter(is_listed=True).values_list("pk", flat=True)[:2000])


def _regions() -> list[str]:
    from domains.geography import Region

    return [r for r in Region.values if r not in ("corse", "outre-mer")]


def _search_path(region: str, arrival: date, nights: int, guests: int) -> str:
    return (f"/fr/recherche/?region={region}&arrival={arrival}&departure={arrival + timedelta(days=nights)}"
            f"&guests={guests}")


def search_paths(today: date, count: int = 5000) -> list[str]:
    """Uniformly random searches (region × arrival day × party), each distinct: a page cache
    cannot help them, so they measure the search itself."""
    rng = random.Random(7)
    combos = [(region, day, guests) for region in _regions() for day in range(7, 307) for guests in (1, 2, 3, 4)]
    return [_search_path(region, today + timedelta(days=day), 2, guests)
            for region, day, guests in rng.sample(combos, count)]


def popular_paths(today: date, count: int = 20000) -> list[str]:
    """A realistic mix: a few regions and the coming weekends draw most searches (Zipf-like
    weights over region × weekend × party, 2 nights Friday → Sunday), the rest is uniform."""
    rng = random.Random(13)
    regions = _regions()
    rng.shuffle(regions)
    friday = today + timedelta(days=(4 - today.weekday()) % 7 + 7)
    popular = [(region, friday + timedelta(weeks=w), guests)
               for region in regions[:4] for w in range(6) for guests in (2, 4)]
    weights = [1 / (rank + 1) for rank in range(len(popular))]
    paths = []
    for _ in range(count):
        if rng.random() < 0.8:
            region, arrival, guests = rng.choices(popular, weights)[0]
        else:
            region, arrival, guests = rng.choice(regions), today + timedelta(days=rng.randint(7, 306)), rng.randint(1, 4)
        paths.append(_search_path(region, arrival, 2, guests))
    return paths


def availability_paths(today: date, ids: list[int], count: int = 500) -> list[str]:
    rng = random.Random(11)
    end = today + timedelta(days=365)
    return [f"/fr/api/units/{rng.choice(ids)}/availability?start={today}&end={end}" for _ in range(count)]


def quote_paths(today: date, ids: list[int], count: int = 500) -> list[str]:
    rng = random.Random(17)
    paths = []
    for _ in range(count):
        arrival = today + timedelta(days=rng.randint(7, 300))
        paths.append(f"/fr/api/units/{rng.choice(ids)}/quote?arrival={arrival}&departure={arrival + timedelta(days=2)}"
                     f"&adults=2")
    return paths


def start_gunicorn(code_root: Path = ROOT) -> subprocess.Popen:
    """2 workers on 127.0.0.1:PORT serving `code_root` (bench/run.py --code: another checkout)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(code_root)}
    log = Path(tempfile.gettempdir()) / f"search_bench_{PORT}.log"  # 409s of the quote are logged: not on screen
    print(f"  server log: {log}", flush=True)
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "almaheritage.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{PORT}",
         "--log-level", "warning"], cwd=code_root, env=env, stderr=log.open("w"))
    for _ in range(150):
        try:
            urllib.request.urlopen(BASE + "/bench/minimal/", timeout=2).read()
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def check_paths(paths: list[str]) -> None:
    """No 5xx (the quote answers 409 or 422 for dates it cannot take: a normal answer)."""
    for path in paths[:3]:
        try:
            urllib.request.urlopen(BASE + path, timeout=10).read()
        except urllib.error.HTTPError as error:
            assert error.code < 500, (path, error.code)


def cpu_ticks(pid: int) -> int:
    """User + system CPU of a process, in clock ticks (/proc/<pid>/stat fields 14 and 15)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def _worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def _backend_pids() -> list[int]:
    """The PostgreSQL sessions of the benchmark's database (the workers keep theirs: CONN_MAX_AGE)."""
    with _admin() as conn:
        return [row[0] for row in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [DB_NAME])]


class CpuMeter:
    """CPU spent by the gunicorn workers and by their PostgreSQL sessions during a measure."""

    def __init__(self, master: int):
        self.master = master

    def __enter__(self):
        self.start = {pid: cpu_ticks(pid) for pid in [*_worker_pids(self.master), *_backend_pids()]}
        self.workers = set(_worker_pids(self.master))
        return self

    def __exit__(self, *exc):
        tick = os.sysconf("SC_CLK_TCK")
        # Sessions opened during the run started from 0; one closed during it is lost (rare: CONN_MAX_AGE).
        spent = {pid: max(cpu_ticks(pid) - self.start.get(pid, 0), 0)
                 for pid in {*self.start, *_backend_pids()}}
        self.python_s = sum(t for pid, t in spent.items() if pid in self.workers) / tick
        self.postgres_s = sum(t for pid, t in spent.items() if pid not in self.workers) / tick


LUA = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  i = id * 7919
  hits = 0
  seen = 0
end
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
response = function(status, headers, body)
  seen = seen + 1
  if headers["X-Page-Cache"] == "hit" then hits = hits + 1 end
end
done = function(summary, latency, requests)
  local h, s = 0, 0
  for _, t in ipairs(threads) do h = h + t:get("hits"); s = s + t:get("seen") end
  io.write(string.format("PAGECACHE %%d %%d\\n", h, s))
end
"""


def measure_wrk(paths: list[str], seconds: int, *, connections: int = 16) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        paths_file, script = Path(tmp) / "paths.txt", Path(tmp) / "paths.lua"
        paths_file.write_text("\n".join(paths) + "\n")
        script.write_text(LUA % paths_file)
        threads = min(2, connections)
        command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), BASE]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    median = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    value, unit = float(median.group(1)), median.group(2)
    median_ms = {"us": value / 1000, "ms": value, "s": value * 1000, "m": value * 60_000}[unit]
    if "Non-2xx" in out:
        print("  warning: non-2xx responses:", re.search(r"Non-2xx.*", out).group(0))
    hits, seen = map(int, re.search(r"PAGECACHE (\d+) (\d+)", out).groups())
    return {"median_ms": median_ms, "rps": rps, "requests": total, "hit_rate": hits / seen if seen else 0.0}


def explain_search(paths: list[str], count: int = 20) -> tuple[float, float, int]:
    """The search's own SQL, as the page runs it, under EXPLAIN ANALYZE in this process:
    median planning + execution ms of all its queries, and their count per page."""
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    plan_ms, exec_ms, queries = [], [], []
    for path in paths[:count]:
        # A cold result: the page cache must not answer.
        from django.core.cache import cache
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            client.get(path, HTTP_HOST="127.0.0.1")
        sqls = [q["sql"] for q in captured.captured_queries
                if "lodgings_unit" in q["sql"] and q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))]
        queries.append(len(sqls))
        planning = execution = 0.0
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in sqls:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0]
                plan = plan[0] if isinstance(plan, list) else plan
                planning += plan["Planning Time"]
                execution += plan["Execution Time"]
        plan_ms.append(planning)
        exec_ms.append(execution)
    return statistics.median(plan_ms), statistics.median(exec_ms), max(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--units", type=int, default=15_000, help="15000 (default) or 150000")
    parser.add_argument("--only", default="", help="comma-separated scenario names (minimal is always run)")
    args = parser.parse_args()
    set_scale(args.units)
    scale = f"units={args.units}"
    today = date.today() + timedelta(days=1)  # noqa: DTZ011 — a benchmark, any calendar day will do
    built_for = create_database(args.rebuild, scale=scale)
    if built_for is None:
        print(f"Building {DB_NAME} ({scale})…", flush=True)
        started = time.monotonic()
        build(today)
        print(f"  built in {time.monotonic() - started:.0f} s", flush=True)
        keep_as_template(scale=scale, today=today)
    else:
        print(f"{DB_NAME}: copied from {DB_NAME}_built ({scale}, dates around {built_for})", flush=True)
        today = built_for
    if migrate() and built_for is not None:
        keep_as_template(scale=scale, today=today)  # the next copies start migrated
    ids = unit_ids()
    scenarios = [("minimal", "minimal template view", ["/bench/minimal/"]),
                 ("search", "search: random (uniform)", search_paths(today)),
                 ("popular", "search: popularity mix", popular_paths(today)),
                 ("availability", "availability: one year, one unit", availability_paths(today, ids)),
                 ("quote", "quote: 2 nights, one unit", quote_paths(today, ids))]
    if args.only:
        wanted = {"minimal", *args.only.split(",")}
        scenarios = [s for s in scenarios if s[0] in wanted]
    print(f"Load: wrk -t2 -c16, {args.seconds} s each after a 3 s warm-up, gunicorn 2 sync workers, "
          "127.0.0.1 only", flush=True)
    server = start_gunicorn()
    try:
        results = []
        for _key, name, paths in scenarios:
            check_paths(paths)
            measure_wrk(paths[-200:], 3)  # warm-up on paths the measure does not reuse first
            with CpuMeter(server.pid) as cpu:
                loaded = measure_wrk(paths, args.seconds)
            # One request at a time: the median is the time a request takes, without the
            # queue in front of the 2 workers that 16 connections build by design.
            alone = measure_wrk(paths[len(paths) // 2:], max(5, args.seconds // 3), connections=1)
            results.append((name, loaded, alone["median_ms"], 1000 * cpu.python_s / loaded["requests"],
                            1000 * cpu.postgres_s / loaded["requests"]))
            print(f"  {name}: {loaded['rps']:.1f} req/s", flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)  # a loaded machine can take a while
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    load = os.getloadavg()
    minimal = results[0][1]["rps"]
    print(f"\n{'view':<34}{'median ms':>10}{'req/s':>9}{'÷ minimal':>11}{'1 conn ms':>11}"
          f"{'CPU py ms':>11}{'CPU pg ms':>11}{'hits':>7}")
    for name, loaded, alone_ms, py_ms, pg_ms in results:
        print(f"{name:<34}{loaded['median_ms']:>10.1f}{loaded['rps']:>9.1f}{loaded['rps'] / minimal:>11.3f}"
              f"{alone_ms:>11.1f}{py_ms:>11.2f}{pg_ms:>11.2f}{loaded['hit_rate']:>7.0%}")
    if not args.only or "search" in args.only:
        planning, execution, queries = explain_search(search_paths(today)[::97])
        print(f"\nsearch SQL (EXPLAIN ANALYZE, median of 20 random searches): {queries} queries on units, "
              f"planning {planning:.2f} ms + execution {execution:.2f} ms")
    print("\nmedian ms / req/s: 16 connections on 2 workers; '1 conn ms': one connection; CPU per request "
          "of the gunicorn workers (py) and of their PostgreSQL sessions (pg); hits: whole-page cache hits.")
    print(f"Load average (1, 5, 15 min): {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f} on {os.cpu_count()} CPUs — "
          "compare ratios within one run, not absolute times across runs.")


if __name__ == "__main__":
    main()
