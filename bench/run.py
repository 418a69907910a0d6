"""`make bench`: every page of issue 14 against a minimal template view, in one run.

    .venv/bin/python bench/run.py [--scale 15000] [--seconds 10] [--record] [--only owner,public]

1. Data: the search data set of `bench/search_bench.py` (built by it, once, and kept:
   `bench_public` at 15,000 units; `bench_public_1500` / `_150000` for the other scales)
   plus the owner data of `bench/owner_data.py` (one owner with 5,000 bookings and 500
   offers), added once. Pending migrations are applied on every run.
2. gunicorn (2 sync workers, 127.0.0.1 only, `bench.settings`), loaded by wrk (Debian's
   `wrk`: a C load generator, so the client does not eat the CPU it measures; without it, a
   threaded Python client) with 16 connections: median, p95, req/s, ratio to the minimal
   view of the same run, CPU per request of the gunicorn workers and of PostgreSQL's
   backends (read from /proc), the load average while it ran.
3. Exports of the big owner's bookings at 500 and 5,000 rows, each in a fresh process:
   time and peak memory (ru_maxrss) above the process's memory before the export.
4. The concurrency check: 50 travellers booking overlapping dates on 3 rooms through HTTP
   for 30 s; then, in SQL, overlapping live stays (must be 0) and the 5xx answers (must be 0).
5. `bench/payouts_bench.py` (run_payouts, 2,000 owners) and `bench/calsync_bench.py` (first
   sync and the 304s), run as they are, their lines quoted.

The machine is shared: compare ratios and CPU per request, never absolute times across runs.
`--record` appends the run (machine, date, commit, load) to bench/RESULTS.md.
"""
import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import date, timedelta
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Units of the search data (search_bench.set_scale sizes the rest from them).
SCALES = (1_500, 15_000, 150_000)
PAYOUTS = {1_500: (2000, 20_000), 15_000: (2000, 200_000), 150_000: (2000, 200_000)}  # owners, bookings
FEEDS = {1_500: 300, 15_000: 1000, 150_000: 5000}
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def database_name(scale: int) -> str:
    return os.environ.get("BENCH_DB") or ("bench_public" if scale == 15_000 else f"bench_public_{scale}")


def load_search_bench(scale: int):
    """search_bench reads its database name at import; set_scale sizes its data set."""
    os.environ["BENCH_DB"] = database_name(scale)
    from bench import search_bench

    search_bench.set_scale(scale)
    return search_bench


def prepare(scale: int, *, rebuild: bool, today: date):
    """The search data (copied from its template database, or built and kept as one) plus the
    owner data; returns the day the data's dates are relative to."""
    search_bench = load_search_bench(scale)
    label = f"units={scale}"
    built_for = search_bench.create_database(rebuild, scale=label)
    if built_for is None:
        print(f"Building {search_bench.DB_NAME} ({scale:,} units)…", flush=True)
        started = time.monotonic()
        search_bench.build(today)
        print(f"  built in {time.monotonic() - started:.0f} s", flush=True)
    else:
        today = built_for
    migrated = search_bench.migrate()
    import django

    django.setup()
    from bench.owner_data import owner_data

    data, owner_added = owner_data(today)
    if built_for is None or migrated or owner_added:
        search_bench.keep_as_template(scale=label, today=today)  # the next copies start with all of it
    return search_bench, data, today


# --- Pages -----------------------------------------------------------------------------------

def scenarios(search_bench, data: dict, today: date) -> list[tuple[str, list[str], str | None]]:
    """(name, paths, user): user is "owner", "traveller" or None (anonymous)."""
    from django.urls import reverse

    from domains.models import Domain
    from experiences.models import Experience
    from lodgings.models import Lodging, Unit

    rng = random.Random(3)
    listed = list(Unit.objects.filter(is_listed=True).exclude(lodging__domain__owner=data["owner"])
                  .values_list("pk", flat=True)[:2000])
    domains = list(Domain.objects.filter(status="published").exclude(owner=data["owner"])
                   .values_list("slug", flat=True)[:500])
    lodgings = list(Lodging.objects.filter(status="published", domain__status="published")
                    .exclude(domain__owner=data["owner"]).values_list("slug", flat=True)[:500])
    experiences = list(Experience.objects.filter(status="published", domain__status="published")
                       .exclude(domain__owner=data["owner"]).values_list("slug", flat=True)[:500])

    def quote(unit: int) -> str:
        arrival = today + timedelta(days=rng.randint(10, 300))
        return f"{reverse('api_unit_quote', args=[unit])}?arrival={arrival}&departure={arrival + timedelta(days=2)}"

    # The search pages are search_bench's: its own entry point when it has one.
    search = (search_bench.scenarios(today) if hasattr(search_bench, "scenarios") else
              [("search: 2 nights in a region", search_bench.search_paths(today)),
               # The whole-page cache's two cases: one search asked again and again (every
               # request after the first a hit), and the popularity mix (its hit rate varies).
               ("search: the same search repeated", search_bench.search_paths(today)[:1]),
               ("search: popularity mix", search_bench.popular_paths(today)),
               ("availability API: one year", search_bench.availability_paths(today, listed))])
    owner_lists = [
        ("owner: bookings (5,000), page 1", [reverse("dashboard_bookings")]),
        ("owner: bookings, page 150", [reverse("dashboard_bookings") + "?page=150"]),
        ("owner: bookings, « à venir »", [reverse("dashboard_bookings") + "?filtre=a-venir"]),
        ("owner: clients (1,000)", [reverse("dashboard_clients")]),
        ("owner: payments (24 payouts)", [reverse("dashboard_payments")]),
        ("owner: domains (50)", [reverse("dashboard_domains")]),
        ("owner: lodgings of a domain (500)", [reverse("lodging_list", args=[_domain_pk(data)])]),
        ("owner: experiences of a domain (500)", [reverse("experience_list", args=[_domain_pk(data)])]),
    ]
    return [
        ("minimal template view", ["/bench/minimal/"], None),
        *[(name, paths, None) for name, paths in search],
        ("home", [reverse("home")], None),
        *offer_pages("domain page", [reverse("domain_detail", args=[s]) for s in domains]),
        *offer_pages("lodging page", [reverse("lodging_detail", args=[s]) for s in lodgings]),
        *offer_pages("experience page", [reverse("experience_detail", args=[s]) for s in experiences]),
        ("booking quote API", [quote(rng.choice(listed)) for _ in range(500)], None),
        ("iCal export of a room", [reverse("ical_export", args=[data["ical_token"]])], None),
        ("domain page, 500 lodgings + 500 experiences", [reverse("domain_detail", args=[data["domain_slug"]])],
         None),
        ("lodging page, 500 rooms", [reverse("lodging_detail", args=[data["hotel_slug"]])], None),
        ("experience page, 500 sessions", [reverse("experience_detail", args=[data["atelier_slug"]])], None),
        *[(name, paths, "owner") for name, paths in owner_lists],
        ("traveller: « Mes voyages » (500 trips)", [reverse("trips") + "?tab=past"], "traveller"),
    ]


PRIMED = "content cached"


def offer_pages(name: str, paths: list[str]) -> list[tuple[str, list[str], None]]:
    """An offer page twice: its content served from the fragment cache (every path visited
    once before the measure, as a page with visitors is: the fragments live 10 minutes),
    and rendered on every request (a parameter the page does not know makes the view render
    for that visitor alone: what a first visit costs)."""
    return [(f"{name}, {PRIMED}", paths, None),
            (f"{name}, rendered each time", [f"{path}?bench={n}" for n, path in enumerate(paths)], None)]


def prime(paths: list[str], cookie: str | None) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda path: check_page(path, cookie), sorted(set(paths))))


def _domain_pk(data: dict) -> int:
    from domains.models import Domain

    return Domain.objects.get(slug=data["domain_slug"]).pk


class CpuMeter:
    """CPU time of the gunicorn workers and of the database's backends, from /proc."""

    def __init__(self, master: int, database: str):
        import psycopg

        self.master = master
        self.database = database
        self.connection = psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True)

    def _workers(self) -> list[int]:
        children = Path(f"/proc/{self.master}/task/{self.master}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def _backends(self) -> list[int]:
        rows = self.connection.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.database])
        return [pid for (pid,) in rows]

    def sample(self) -> tuple[dict, dict]:
        from bench.search_bench import cpu_ticks

        return ({pid: cpu_ticks(pid) for pid in self._workers()},
                {pid: cpu_ticks(pid) for pid in self._backends()})

    def settle(self, *, idle_ticks: int = 5, limit: float = 120) -> None:
        """Wait until the workers are idle: wrk stops with requests still queued in gunicorn,
        which would otherwise be charged to the next page."""
        stop = time.monotonic() + limit
        while time.monotonic() < stop:
            start = sum(self.sample()[0].values())
            time.sleep(0.5)
            if sum(self.sample()[0].values()) - start < idle_ticks:
                return

    @staticmethod
    def spent(before: tuple[dict, dict], after: tuple[dict, dict]) -> tuple[float, float]:
        return tuple(sum(ticks - start.get(pid, 0) for pid, ticks in end.items()) / CLK_TCK
                     for start, end in zip(before, after, strict=True))


# 5xx answers and socket errors are errors; 4xx answers are counted apart: the quote API
# answers 409 for dates already taken, its normal answer for an occupied room.
WRK_SCRIPT = """
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
local i = 0
local threads = {}
setup = function(thread) table.insert(threads, thread) end
init = function(args) failed = 0; refused = 0 end
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i], {%(headers)s})
end
response = function(status, headers, body)
  if status >= 500 then failed = failed + 1 elseif status >= 400 then refused = refused + 1 end
end
done = function(summary, latency, requests)
  local failed_all, refused_all = 0, 0
  for _, thread in ipairs(threads) do
    failed_all = failed_all + thread:get("failed"); refused_all = refused_all + thread:get("refused")
  end
  io.write(string.format("RESULT %%d %%d %%d %%d %%f %%f\\n", summary.requests,
    failed_all + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    refused_all, summary.duration, latency:percentile(50), latency:percentile(95)))
end
"""


def load_wrk(paths: list[str], seconds: int, cookie: str | None, connections: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        paths_file, script = Path(tmp) / "paths.txt", Path(tmp) / "script.lua"
        paths_file.write_text("\n".join(paths) + "\n")
        headers = f'["Cookie"] = "{cookie}"' if cookie else ""
        script.write_text(WRK_SCRIPT % {"paths": paths_file, "headers": headers})
        out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s", "-s", str(script), BASE],
                             capture_output=True, text=True, check=True).stdout
    count, errors, refused, duration_us, p50_us, p95_us = re.search(
        r"RESULT (\d+) (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+)", out).groups()
    return {"requests": int(count), "errors": int(errors), "refused": int(refused), "seconds": int(duration_us) / 1e6,
            "median_ms": float(p50_us) / 1000, "p95_ms": float(p95_us) / 1000}


def load_threads(paths: list[str], seconds: int, cookie: str | None, connections: int) -> dict:
    """Without wrk: one persistent HTTP connection per thread (the client's own CPU then
    competes with the server's: ratios stay comparable, absolute req/s are lower)."""
    latencies: list[float] = []
    errors, refused = [0], [0]
    lock, stop = threading.Lock(), time.monotonic() + seconds
    headers = {"Cookie": cookie} if cookie else {}

    def worker(offset: int) -> None:
        connection, i = HTTPConnection("127.0.0.1", PORT, timeout=60), offset
        while time.monotonic() < stop:
            started = time.perf_counter()
            connection.request("GET", paths[i % len(paths)], headers=headers)
            response = connection.getresponse()
            response.read()
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
                errors[0] += response.status >= 500
                refused[0] += 400 <= response.status < 500
            i += connections

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {"requests": len(latencies), "errors": errors[0], "refused": refused[0], "seconds": time.monotonic() - started,
            "median_ms": statistics.median(latencies), "p95_ms": latencies[int(len(latencies) * 0.95)]}


def check_page(path: str, cookie: str | None) -> None:
    request = urllib.request.Request(BASE + path, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=60) as response:
        if response.status != 200 or response.url.rstrip("/").endswith("connexion"):
            raise SystemExit(f"{path}: {response.status} {response.url}")


def measure_pages(cases, cookies: dict, *, seconds: int, meter: CpuMeter) -> list[dict]:
    load = load_wrk if shutil.which("wrk") else load_threads
    results = []
    for name, paths, user in cases:
        cookie = cookies.get(user)
        check_page(paths[0], cookie)
        if PRIMED in name:
            prime(paths, cookie)
        load(paths, 2, cookie, 16)  # warm-up: persistent connections, caches of the processes
        meter.settle()
        before = meter.sample()
        figures = load(paths, seconds, cookie, 16)
        # The requests wrk leaves in flight finish before the CPU is read (counted, not answered:
        # for a page slower than the measure, CPU per request is an upper bound).
        meter.settle()
        python_s, database_s = CpuMeter.spent(before, meter.sample())
        figures.update(name=name, rps=figures["requests"] / figures["seconds"], load=os.getloadavg()[0],
                       python_ms=1000 * python_s / max(figures["requests"], 1),
                       database_ms=1000 * database_s / max(figures["requests"], 1))
        results.append(figures)
        print(f"  {name}: {figures['rps']:.1f} req/s, median {figures['median_ms']:.1f} ms", flush=True)
    return results


def pages_table(results: list[dict]) -> str:
    minimal = results[0]["rps"]
    lines = ["| page | median ms | p95 ms | req/s | ÷ minimal | CPU ms/req: gunicorn + PostgreSQL | errors (5xx) "
             "| 4xx | load |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        if not r["requests"]:  # not one answer within the measure: slower than its duration
            lines.append(f"| {r['name']} | > {r['seconds'] * 1000:.0f} | — | 0 | 0 | — | {r['errors']} | "
                         f"{r['refused']} | {r['load']:.1f} |")
            continue
        lines.append(f"| {r['name']} | {r['median_ms']:.1f} | {r['p95_ms']:.1f} | {r['rps']:.1f} | "
                     f"{r['rps'] / minimal:.3f} | {r['python_ms']:.2f} + {r['database_ms']:.2f} | "
                     f"{r['errors']} | {r['refused']} | {r['load']:.1f} |")
    return "\n".join(lines)


# --- Exports: each in a fresh process, for its own peak memory -------------------------------

def probe_export(fmt: str, rows: int, pdf_rows_per_file: int | None) -> None:
    """Runs in a child process (bench/run.py --probe-export): prints one JSON line."""
    import django

    django.setup()
    from django.conf import settings

    if pdf_rows_per_file:
        settings.EXPORT_PDF_ROWS_PER_FILE = pdf_rows_per_file
    from itertools import islice

    import openpyxl  # noqa: F401
    import weasyprint  # noqa: F401 — loaded before the baseline, as a worker has it loaded
    from django.utils import timezone

    from accounts.models import User
    from bench.owner_data import OWNER_EMAIL
    from exports.registry import build_table, get_kind
    from exports.writers import WRITERS

    owner = User.objects.get(email=OWNER_EMAIL)
    kind = get_kind("bookings")
    params = kind.parse_params({}, timezone.localdate()) | {"language": "fr"}
    table = build_table(kind=kind, owner=owner, params=params)
    table.rows, table.row_count = islice(table.rows, rows), min(rows, table.row_count)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started, cpu = time.perf_counter(), time.process_time()
    with tempfile.TemporaryFile() as target:
        WRITERS[fmt](table, target)
        size = target.tell()
    print(json.dumps({"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu,
                      "baseline_mib": baseline, "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "bytes": size, "rows": table.row_count}))


def measure_exports(sizes: list[int], formats: list[str], *, pdf_whole: bool) -> list[dict]:
    results = []
    for fmt in formats:
        for rows in sizes:
            command = [sys.executable, str(Path(__file__)), "--probe-export", fmt, str(rows)]
            if fmt == "pdf" and pdf_whole:
                command += ["--pdf-rows-per-file", "1000000"]  # one document: how it was before issue 14
            out = subprocess.run(command, capture_output=True, text=True, env={**os.environ}, check=True).stdout
            figures = json.loads(out.strip().splitlines()[-1]) | {"format": fmt}
            figures["label"] = "PDF, one document" if fmt == "pdf" and pdf_whole else fmt.upper()
            results.append(figures)
            print(f"  export {figures['label']} {rows}: {figures['seconds']:.1f} s, peak {figures['peak_mib']:.0f} MiB",
                  flush=True)
    return results


def exports_table(results: list[dict]) -> str:
    lines = ["| export of bookings | rows | time s | CPU s | peak MiB (before the export) | file |",
             "|---|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r['label']} | {r['rows']:,} | {r['seconds']:.1f} | {r['cpu']:.1f} | "
                     f"{r['peak_mib']:.0f} ({r['baseline_mib']:.0f}) | {r['bytes'] / 1024:.0f} KiB |")
    return "\n".join(lines)


# --- Concurrency: 50 travellers, 3 rooms, overlapping dates ----------------------------------

def race(data: dict, cookies: list[str], *, seconds: int, today: date) -> dict:
    from django.db import connection
    from django.urls import reverse

    from bookings.models import LIVE_STATUSES

    units = data["contested_units"]
    first_day = today + timedelta(days=random.randint(40, 330))  # a fresh window each run
    counts: dict[int, int] = {}
    lock, stop = threading.Lock(), time.monotonic() + seconds

    def client(n: int) -> None:
        rng, connection_ = random.Random(n), HTTPConnection("127.0.0.1", PORT, timeout=120)
        unit = units[n % len(units)]
        path = reverse("booking_start", args=[unit])
        connection_.request("GET", path, headers={"Cookie": cookies[n]})
        response = connection_.getresponse()
        body = response.read().decode()
        csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if not (csrf_cookie and token):
            with lock:
                counts[-1] = counts.get(-1, 0) + 1
            return
        headers = {"Cookie": f"{cookies[n]}; csrftoken={csrf_cookie.group(1)}",
                   "Content-Type": "application/x-www-form-urlencoded", "Referer": BASE + path}
        while time.monotonic() < stop:
            arrival = first_day + timedelta(days=rng.randint(0, 6))
            form = {"csrfmiddlewaretoken": token.group(1), "arrival": arrival.isoformat(),
                    "departure": (arrival + timedelta(days=rng.randint(1, 3))).isoformat(), "adults": "1",
                    "children": "0", "message": "Bonjour",
                    "phone": "06 12 34 56 78"}  # asked of a traveller without one (bookings/forms.py)
            connection_.request("POST", path, body=urllib.parse.urlencode(form), headers=headers)
            response = connection_.getresponse()
            response.read()
            with lock:
                counts[response.status] = counts.get(response.status, 0) + 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(len(cookies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM bookings_booking a JOIN bookings_booking b ON a.unit_id = b.unit_id AND a.id < b.id"
            " AND daterange(a.arrival, a.departure) && daterange(b.arrival, b.departure)"
            " WHERE a.unit_id = ANY(%s) AND a.status = ANY(%s) AND b.status = ANY(%s)",
            [units, list(LIVE_STATUSES), list(LIVE_STATUSES)])
        overlapping = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM bookings_booking WHERE unit_id = ANY(%s) AND status = ANY(%s)"
                       " AND arrival >= %s AND arrival < %s",
                       [units, list(LIVE_STATUSES), first_day, first_day + timedelta(days=10)])
        live = cursor.fetchone()[0]
    return {"answers": counts, "overlapping": overlapping, "live": live, "server_errors":
            sum(n for status, n in counts.items() if status >= 500), "clients": len(cookies), "seconds": seconds}


# --- The existing benches, run as they are --------------------------------------------------

def run_bench(script: str, args: list[str], database: str) -> list[str]:
    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    _create_database(database)
    out = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], capture_output=True, text=True,
                         env=env, cwd=ROOT)
    lines = [line for line in out.stdout.splitlines() if line.strip()]
    if out.returncode:
        lines.append(f"failed ({out.returncode}): {out.stderr.strip().splitlines()[-1:]}")
    return lines


def _create_database(name: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


# --- The run ----------------------------------------------------------------------------------

def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    return f"{os.cpu_count()} CPUs ({cpu}), {int(memory) // 1024 // 1024} GiB, {platform.platform()}"


def commit(code_root: Path) -> str:
    out = subprocess.run(["git", "-C", str(code_root), "log", "-1", "--format=%h %s"], capture_output=True, text=True)
    return out.stdout.strip()[:90] or str(code_root)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", default="15000", help="units of the search data: 1500, 15000, 150000 "
                                                         "(several, comma-separated, to compare the ratios)")
    parser.add_argument("--seconds", type=int, default=10, help="load per page (after a 2 s warm-up)")
    parser.add_argument("--only", default="pages,exports,race,payouts,calsync",
                        help="parts to run, comma-separated: pages, exports, race, payouts, calsync")
    parser.add_argument("--match", default="", help="only the pages whose name matches this regular expression")
    parser.add_argument("--race-seconds", type=int, default=30)
    parser.add_argument("--export-rows", default="500,5000")
    parser.add_argument("--export-formats", default="csv,xlsx,pdf")
    parser.add_argument("--pdf-whole", action="store_true", help="PDF as one document (before issue 14)")
    parser.add_argument("--code", type=Path, default=ROOT, help="serve another checkout (a before/after run)")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--record", action="store_true", help="append the run to bench/RESULTS.md")
    parser.add_argument("--probe-export", nargs=2, metavar=("FORMAT", "ROWS"), help=argparse.SUPPRESS)
    parser.add_argument("--pdf-rows-per-file", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe_export:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
        return probe_export(args.probe_export[0], int(args.probe_export[1]), args.pdf_rows_per_file)

    today = date.today() + timedelta(days=1)  # noqa: DTZ011 — as search_bench: any calendar day will do
    parts = set(args.only.split(","))
    report = []
    ratios: dict[int, list[dict]] = {}
    for scale in [int(s) for s in args.scale.split(",")]:
        if scale not in SCALES:
            raise SystemExit(f"--scale: one of {', '.join(map(str, SCALES))}")
        search_bench, data, today = prepare(scale, rebuild=args.rebuild, today=today)
        from bench.owner_data import session_cookie

        cookies = {"owner": session_cookie(data["owner"]), "traveller": session_cookie(data["traveller"])}
        header = (f"### {date.today():%Y-%m-%d} · scale {scale:,} units (database {search_bench.DB_NAME})\n\n"  # noqa: DTZ011
                  f"Machine: {machine()}. Commit: {commit(args.code)}. Load average at the start: "
                  + ", ".join(f"{x:.1f}" for x in os.getloadavg()) + ".")
        report.append(header)
        print(header, flush=True)
        if parts & {"pages", "race"}:
            server = search_bench.start_gunicorn(args.code)
            try:
                if "pages" in parts:
                    cases = [case for case in scenarios(search_bench, data, today)
                             if case[0] == "minimal template view" or re.search(args.match, case[0])]
                    meter = CpuMeter(server.pid, search_bench.DB_NAME)
                    results = measure_pages(cases, cookies, seconds=args.seconds, meter=meter)
                    ratios[scale] = results
                    load = "wrk -t2 -c16" if shutil.which("wrk") else "Python threads ×16"
                    report.append(f"Pages ({load}, {args.seconds} s each after 2 s of warm-up; gunicorn 2 sync "
                                  "workers):\n\n" + pages_table(results))
                if "race" in parts:
                    racers = [session_cookie(user) for user in data["racers"]]
                    outcome = race(data, racers, seconds=args.race_seconds, today=today)
                    report.append(
                        f"Concurrency: {outcome['clients']} travellers booking overlapping dates on "
                        f"{len(data['contested_units'])} rooms for {outcome['seconds']} s through HTTP: answers "
                        + ", ".join(f"{status}: {n}" for status, n in sorted(outcome["answers"].items()))
                        + f"; {outcome['live']} live bookings made; **overlapping live stays (SQL): "
                        f"{outcome['overlapping']}; 5xx: {outcome['server_errors']}**.")
            finally:
                server.terminate()
                server.wait(timeout=20)
        if "exports" in parts:
            exports = measure_exports([int(n) for n in args.export_rows.split(",")], args.export_formats.split(","),
                                      pdf_whole=args.pdf_whole)
            report.append("Exports (a fresh process each; peak = ru_maxrss, the process before the export in "
                          "brackets):\n\n" + exports_table(exports))
        if "payouts" in parts:
            owners, bookings = PAYOUTS[scale]
            lines = run_bench("payouts_bench.py", ["--owners", str(owners), "--bookings", str(bookings)],
                              f"{search_bench.DB_NAME}_payouts")
            report.append("`bench/payouts_bench.py`:\n\n" + "\n".join(f"    {line}" for line in lines))
        if "calsync" in parts:
            lines = run_bench("calsync_bench.py", ["--feeds", str(FEEDS[scale])], f"{search_bench.DB_NAME}_calsync")
            report.append("`bench/calsync_bench.py`:\n\n" + "\n".join(f"    {line}" for line in lines))
        from django.db import connections

        connections.close_all()
    if len(ratios) > 1:
        scales = sorted(ratios)
        lines = ["| page | " + " | ".join(f"÷ minimal at {s:,}" for s in scales) + " |",
                 "|---|" + "---:|" * len(scales)]
        for index, result in enumerate(ratios[scales[0]]):
            cells = [ratios[s][index]["rps"] / ratios[s][0]["rps"] for s in scales]
            lines.append(f"| {result['name']} | " + " | ".join(f"{c:.3f}" for c in cells) + " |")
        report.append("How each ratio changes with the scale:\n\n" + "\n".join(lines))
    report.append("Load average at the end: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()) + ".")
    text = "\n\n".join(report)
    print("\n" + text)
    if args.record:
        with (ROOT / "bench" / "RESULTS.md").open("a") as results:
            results.write("\n\n" + text + "\n")


if __name__ == "__main__":
    main()
