"""Search benchmark (not a test). Builds a separate PostgreSQL database (bench_public) with
5,000 domains, 15,000 units, 3,000 experiences and 200,000 bookings/blocks/suspensions,
serves the site with gunicorn (2 sync workers) on 127.0.0.1 and measures, in one run:

- a minimal Django view rendering a template (the yardstick),
- the search page for a two-night stay in a region (random region and dates),
- the availability endpoint of a random unit for a one-year window.

It prints median latency and requests/second of each, and the ratio to the minimal view.
Load comes from wrk (`apt-get install -y wrk`) when present, else a threaded Python client.

    .venv/bin/python bench/search_bench.py            # build (if needed) and measure
    .venv/bin/python bench/search_bench.py --rebuild  # drop and rebuild the data first
"""
import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_NAME = os.environ.get("BENCH_DB", "bench_public")
os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

N_DOMAINS, UNITS_PER_DOMAIN, N_EXPERIENCES = 5_000, 3, 3_000
N_BOOKINGS, N_BLOCKS, N_SUSPENSIONS = 130_000, 65_000, 5_000  # 200,000 occupied ranges
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"


def create_database(rebuild: bool) -> bool:
    """True when the data must be built."""
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if exists and not rebuild:
            return False
        if exists:
            conn.execute(f'DROP DATABASE "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    return True


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
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


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
    from bookings.models import Booking, ExternalBlock
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
            bookings.append(Booking(reference=f"B{n:08d}", kind="stay", traveller=rng.choice(travellers),
                                    owner_id=owner_of[unit.pk], unit=unit, arrival=arrival, departure=departure,
                                    status=rng.choice(["confirmed"] * 6 + ["requested", "cancelled"]),
                                    total_price=unit.nightly_price * (departure - arrival).days))
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


def search_paths(today: date, count: int = 5000) -> list[str]:
    """Distinct searches (region × arrival day × party), so the short-lived search cache
    does not flatter the numbers: each path comes back at most once in a 15 s run."""
    from domains.geography import Region

    rng = random.Random(7)
    regions = [r for r in Region.values if r not in ("corse", "outre-mer")]
    combos = [(region, day, guests) for region in regions for day in range(7, 307) for guests in (1, 2, 3, 4)]
    paths = []
    for region, day, guests in rng.sample(combos, count):
        arrival = today + timedelta(days=day)
        paths.append(f"/fr/recherche/?region={region}&arrival={arrival}&departure={arrival + timedelta(days=2)}"
                     f"&guests={guests}")
    return paths


def availability_paths(today: date, ids: list[int], count: int = 500) -> list[str]:
    rng = random.Random(11)
    end = today + timedelta(days=365)
    return [f"/fr/api/units/{rng.choice(ids)}/availability?start={today}&end={end}" for _ in range(count)]


def start_gunicorn() -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "almaheritage.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{PORT}",
         "--log-level", "warning"], cwd=ROOT, env=env)
    for _ in range(100):
        try:
            urllib.request.urlopen(BASE + "/bench/minimal/", timeout=2).read()
            return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def check_paths(paths: list[str]) -> None:
    for path in paths[:3]:
        with urllib.request.urlopen(BASE + path, timeout=10) as response:
            assert response.status == 200, (path, response.status)


LUA = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def measure_wrk(paths: list[str], seconds: int, *, connections: int = 16) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        paths_file, script = Path(tmp) / "paths.txt", Path(tmp) / "paths.lua"
        paths_file.write_text("\n".join(paths) + "\n")
        script.write_text(LUA % paths_file)
        threads = min(2, connections)
        command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), BASE]
        subprocess.run([*command[:3], "-d3s", *command[4:]], capture_output=True, check=True)  # warm-up
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    median = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = float(median.group(1)), median.group(2)
    median_ms = value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    if "Non-2xx" in out:
        print("  warning: non-2xx responses:", re.search(r"Non-2xx.*", out).group(0))
    return median_ms, rps


def measure_threads(paths: list[str], seconds: int, *, connections: int = 16) -> tuple[float, float]:
    concurrency = connections
    latencies: list[float] = []
    lock, stop = threading.Lock(), time.monotonic() + seconds

    def worker(offset: int) -> None:
        i = offset
        while time.monotonic() < stop:
            started = time.perf_counter()
            urllib.request.urlopen(BASE + paths[i % len(paths)], timeout=30).read()
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
            i += concurrency

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statistics.median(latencies), len(latencies) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--seconds", type=int, default=15)
    args = parser.parse_args()
    today = date.today() + timedelta(days=1)  # noqa: DTZ011 — a benchmark, any calendar day will do
    if create_database(args.rebuild):
        print(f"Building {DB_NAME}…", flush=True)
        started = time.monotonic()
        build(today)
        print(f"  built in {time.monotonic() - started:.0f} s", flush=True)
    ids = unit_ids()
    scenarios = [("minimal template view", ["/bench/minimal/"]),
                 ("search: 2 nights in a region", search_paths(today)),
                 ("availability: one year, one unit", availability_paths(today, ids))]
    measure = measure_wrk if shutil.which("wrk") else measure_threads
    print(f"Load: {'wrk -t2 -c16' if measure is measure_wrk else 'Python threads x16'}, {args.seconds} s each, "
          "gunicorn 2 sync workers, 127.0.0.1 only", flush=True)
    server = start_gunicorn()
    try:
        results = []
        for name, paths in scenarios:
            check_paths(paths)
            loaded = measure(paths, args.seconds)
            # One request at a time: the median is the time a request takes, without the
            # queue in front of the 2 workers that 16 connections build by design.
            alone = measure(paths[len(paths) // 2:], max(5, args.seconds // 3), connections=1)
            results.append((name, *loaded, alone[0]))
    finally:
        server.terminate()
        server.wait(timeout=10)
    minimal_rps = results[0][2]
    print(f"\n{'view':<36}{'median ms':>10}{'req/s':>9}{'÷ minimal':>11}{'median ms, 1 conn':>19}")
    for name, median_ms, rps, alone_ms in results:
        print(f"{name:<36}{median_ms:>10.1f}{rps:>9.1f}{rps / minimal_rps:>11.2f}{alone_ms:>19.1f}")
    print("\nmedian ms / req/s: 16 connections on 2 workers (wrk -t2 -c16); last column: 1 connection.")
    print("Targets: search median < 150 ms, availability median < 20 ms.")
    print("Machine load average during the run (1, 5, 15 min): " + ", ".join(f"{x:.1f}" for x in os.getloadavg())
          + f" on {os.cpu_count()} CPUs — compare ratios, not absolute times, on a busy machine.")


if __name__ == "__main__":
    main()
