"""Benchmark of the monthly payout run: 2,000 owners, 200,000 bookings paid in September and
ended in October, paid on 1 November. Prints the wall time and the queries of `run_payouts`
(per owner: it must not grow with the owner's bookings — run with another --bookings to
compare), and of the "booking ended" postings, which the hourly `end-bookings` job makes as
services end during the month (timed here on the whole month at once, before the run; the
run itself then checks that every ended booking is posted).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alma_ledger_bench \\
        .venv/bin/python bench/payouts_bench.py [--owners 2000] [--bookings 200000]

The data is built with bulk inserts (users, domains, units, bookings, payments and their
payment postings, connected accounts ready for transfers) in a fresh database (created if
missing, tables by `migrate`). Stripe's latency is excluded: inside this script only, the
transfer call answers at once with a made-up id (`stripe_adapter.create_transfer`).

On PostgreSQL the built data is kept as a template database `<name>_built` (labelled with
its scale): a later run at the same scale copies it (`CREATE DATABASE … TEMPLATE`, seconds)
instead of building again (a minute or more at full scale), then migrates. `--rebuild`
builds anew. Each run starts from the data as built: nothing ended, nothing paid.

It prints wall time, the database time (measured around each query) and this process's CPU
time (user + sys): on a shared machine the wall time is noisy, CPU time much less so.
"""
import argparse
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/alma_ledger_bench"


def setup_django(database_url: str, *, scale: str, rebuild: bool) -> bool:
    """A database ready for the run; True when the data must be built (no template of this scale)."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "almaheritage.settings.test")
    copied = _fresh_postgres_database(database_url, scale=scale, rebuild=rebuild) if (
        database_url.startswith("postgres")) else False
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return not copied


def _admin(url: str):
    import psycopg

    base, _name = url.rsplit("/", 1)
    return psycopg.connect(f"{base}/postgres", autocommit=True)


def _fresh_postgres_database(url: str, *, scale: str, rebuild: bool) -> bool:
    """Drop the run's database and copy the built template of `scale` when there is one."""
    name = url.rsplit("/", 1)[1]
    with _admin(url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        label = connection.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [f"{name}_built"]).fetchone()
        if label and label[0] == scale and not rebuild:
            # FILE_COPY: a checkpoint and a copy of the files, not the whole database through the WAL.
            strategy = " STRATEGY = FILE_COPY" if connection.info.server_version >= 150000 else ""
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{name}_built"{strategy}')
            return True
        connection.execute(f'CREATE DATABASE "{name}"')
        return False


def keep_as_template(url: str, *, scale: str) -> None:
    """The data just built, before any run touched it, becomes `<name>_built`."""
    from django.db import connection as django_connection

    django_connection.close()  # a template must have no session
    name = url.rsplit("/", 1)[1]
    with _admin(url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}_built"')
        strategy = " STRATEGY = FILE_COPY" if connection.info.server_version >= 150000 else ""
        connection.execute(f'CREATE DATABASE "{name}_built" TEMPLATE "{name}"{strategy}')
        connection.execute(f"COMMENT ON DATABASE \"{name}_built\" IS '{scale}'")


def build(owners: int, bookings: int) -> None:
    from datetime import UTC, date, datetime, timedelta
    from decimal import Decimal

    from accounts.models import User
    from bookings.models import Booking, BookingStatus, service_end_of
    from domains.models import Domain
    from lodgings.models import Lodging, Unit
    from payouts.ledger import payment_key
    from payouts.models import (
        ConnectedAccount,
        LedgerAccount,
        LedgerEntry,
        LedgerTransaction,
        Payment,
        PaymentStatus,
        TransactionKind,
    )

    paid_at = datetime(2026, 9, 1, 8, tzinfo=UTC)
    people = User.objects.bulk_create([User(email=f"owner{n}@bench.example", password="!") for n in range(owners)],
                                      batch_size=5000)
    traveller = User.objects.create(email="traveller@bench.example", password="!")
    ConnectedAccount.objects.bulk_create([
        ConnectedAccount(owner=p, stripe_account_id=f"acct_bench_{p.pk}", details_submitted=True,
                         transfers_capability="active", payouts_enabled=True) for p in people], batch_size=5000)
    domains = Domain.objects.bulk_create([
        Domain(owner=p, name=f"Domaine {p.pk}", slug=f"domaine-{p.pk}", heritage_kind="chateau", commune="Blois",
               status="published") for p in people], batch_size=5000)
    lodgings = Lodging.objects.bulk_create([
        Lodging(domain=d, kind="gite", title=f"Gîte {d.pk}", slug=f"gite-{d.pk}", status="published")
        for d in domains], batch_size=5000)
    # 14 back-to-back two-night stays per unit in October (live stays never overlap).
    per_unit = 14
    units_each = -(-bookings // owners // per_unit) or 1
    units = Unit.objects.bulk_create([Unit(lodging=lo, name=f"Chambre {k}", nightly_price=Decimal("100"))
                                      for lo in lodgings for k in range(units_each)], batch_size=5000)
    rows = []
    for n in range(bookings):
        index, owner = n // owners, people[n % owners]
        unit = units[(n % owners) * units_each + (index // per_unit) % units_each]
        arrival = date(2026, 10, 1) + timedelta(days=2 * (index % per_unit))
        booking = Booking(reference=f"B{n:09d}", kind="stay", traveller=traveller, owner=owner, unit=unit,
                          arrival=arrival, departure=arrival + timedelta(days=2), status=BookingStatus.CONFIRMED,
                          total_price=Decimal("237.45") + n % 100, amount_paid=Decimal("237.45") + n % 100,
                          commission_rate=Decimal("0.13"), paid_at=paid_at)
        booking.service_end = service_end_of(booking)
        rows.append(booking)
    rows = Booking.objects.bulk_create(rows, batch_size=5000)
    payments = Payment.objects.bulk_create([
        Payment(booking=b, amount_cents=int(b.amount_paid * 100), stripe_payment_intent_id=f"pi_{b.reference}",
                status=PaymentStatus.SUCCEEDED, succeeded_at=paid_at) for b in rows], batch_size=5000)
    records = LedgerTransaction.objects.bulk_create([
        LedgerTransaction(key=payment_key(p), kind=TransactionKind.PAYMENT, booking_id=p.booking_id, occurred_at=paid_at)
        for p in payments], batch_size=5000)
    LedgerEntry.objects.bulk_create([
        entry for record, p in zip(records, payments, strict=True) for entry in (
            LedgerEntry(transaction=record, account=LedgerAccount.CASH, booking_id=p.booking_id,
                        amount_cents=p.amount_cents),
            LedgerEntry(transaction=record, account=LedgerAccount.TRAVELLER_PREPAID, booking_id=p.booking_id,
                        amount_cents=-p.amount_cents))], batch_size=10000)


def _analyze() -> None:
    """Planner statistics, as a live database has them (autovacuum) after bulk inserts."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class QueryCounter:
    """Counts queries and the time spent in them, without Django's debug cursor (which
    formats every big bulk INSERT for its log and would be most of what is measured), and
    the commits (each waits for the WAL to reach the disk) with their time."""

    def __init__(self):
        self.count, self.seconds = 0, 0.0
        self.commits, self.commit_seconds = 0, 0.0

    @contextmanager
    def watching(self, connection):
        plain = connection._commit

        def timed_commit():
            started = time.perf_counter()
            try:
                return plain()
            finally:
                self.commits += 1
                self.commit_seconds += time.perf_counter() - started

        connection._commit = timed_commit
        try:
            with connection.execute_wrapper(self):
                yield self
        finally:
            connection._commit = plain

    @property
    def database(self) -> str:
        return f"{self.seconds:.1f} s in queries, {self.commit_seconds:.1f} s in {self.commits} commits"

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - started


def run(owners: int) -> None:
    from datetime import date

    from django.db import connection

    from core.dates import paris_midnight
    from payouts import ledger, monthly, stripe_adapter
    from payouts.models import Payout, PayoutStatus

    sent = iter(range(10**9))
    stripe_adapter.create_transfer = lambda **kwargs: {"id": f"tr_bench_{next(sent)}"}  # no Stripe latency
    month = date(2026, 11, 1)
    now = paris_midnight(month).replace(hour=6)

    sweep, paying = QueryCounter(), QueryCounter()
    print(_load(), flush=True)
    started, cpu = time.perf_counter(), time.process_time()
    with sweep.watching(connection):
        ended = ledger.end_bookings(before=monthly.cutoff(month), now=now)
    swept, swept_cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"booking ended postings (the hourly job's work, all of October at once): {ended} bookings in "
          f"{swept:.1f} s ({sweep.database}, {swept_cpu:.1f} s CPU of this process), "
          f"{sweep.count} queries "
          f"({1000 * sweep.count / max(ended, 1):.1f} per 1,000 bookings)", flush=True)

    started, cpu = time.perf_counter(), time.process_time()
    with paying.watching(connection):
        report = monthly.run_payouts(month=month, now=now)
    elapsed, elapsed_cpu = time.perf_counter() - started, time.process_time() - cpu
    assert report.sent == owners == Payout.objects.filter(status=PayoutStatus.SENT).count(), report
    assert not ledger.unbalanced_transactions().exists()
    print(f"run_payouts: {report.sent} owners paid in {elapsed:.1f} s ({paying.database}, "
          f"{elapsed_cpu:.1f} s CPU of this process), "
          f"{paying.count} queries ({paying.count / owners:.1f} per owner)")
    print(_load())


def _load() -> str:
    """The machine is shared: what else ran beside the measure (1, 5, 15 minutes)."""
    return "load average: " + ", ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--owners", type=int, default=2000)
    parser.add_argument("--bookings", type=int, default=200_000)
    parser.add_argument("--rebuild", action="store_true", help="build the data even if a template of this scale exists")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_DB)
    scale = f"payouts bench: {args.owners} owners, {args.bookings} bookings"
    started = time.perf_counter()
    if setup_django(url, scale=scale, rebuild=args.rebuild):
        build(args.owners, args.bookings)
        _analyze()
        if url.startswith("postgres"):
            keep_as_template(url, scale=scale)
        print(f"data: {args.owners} owners, {args.bookings} ended bookings built in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
    else:  # the planner's statistics came with the copy
        print(f"data: {args.owners} owners, {args.bookings} ended bookings copied from the built template in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
    run(args.owners)


if __name__ == "__main__":
    main()
