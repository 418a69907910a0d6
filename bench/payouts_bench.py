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
"""
import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/alma_ledger_bench"


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "almaheritage.settings.test")
    if database_url.startswith("postgres"):
        _fresh_postgres_database(database_url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _fresh_postgres_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


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
    formats every big bulk INSERT for its log and would be most of what is measured)."""

    def __init__(self):
        self.count, self.seconds = 0, 0.0

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
    started = time.perf_counter()
    with connection.execute_wrapper(sweep):
        ended = ledger.end_bookings(before=monthly.cutoff(month), now=now)
    swept = time.perf_counter() - started
    print(f"booking ended postings (the hourly job's work, all of October at once): {ended} bookings in "
          f"{swept:.1f} s ({sweep.seconds:.1f} s in the database), {sweep.count} queries "
          f"({1000 * sweep.count / max(ended, 1):.1f} per 1,000 bookings)")

    started = time.perf_counter()
    with connection.execute_wrapper(paying):
        report = monthly.run_payouts(month=month, now=now)
    elapsed = time.perf_counter() - started
    assert report.sent == owners == Payout.objects.filter(status=PayoutStatus.SENT).count(), report
    assert not ledger.unbalanced_transactions().exists()
    print(f"run_payouts: {report.sent} owners paid in {elapsed:.1f} s ({paying.seconds:.1f} s in the database), "
          f"{paying.count} queries ({paying.count / owners:.1f} per owner)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--owners", type=int, default=2000)
    parser.add_argument("--bookings", type=int, default=200_000)
    args = parser.parse_args()
    setup_django(os.environ.get("DATABASE_URL", DEFAULT_DB))
    started = time.perf_counter()
    build(args.owners, args.bookings)
    print(f"data: {args.owners} owners, {args.bookings} ended bookings built in {time.perf_counter() - started:.1f} s")
    _analyze()
    run(args.owners)


if __name__ == "__main__":
    main()
