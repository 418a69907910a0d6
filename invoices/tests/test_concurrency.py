"""Invoice numbers under concurrency (PostgreSQL): two months issued at the same moment, and
each month twice, by threads released together by a barrier. Numbers have no gap and no
duplicate, and every booking is billed exactly once."""
import threading
from collections import Counter
from datetime import date

import pytest
from django.db import connection, connections

from accounts.models import User
from conftest import make_user
from invoices.models import Invoice, InvoiceLine
from invoices.monthly import issue_invoices

from .conftest import at, paid_stay, unit_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NOVEMBER, DECEMBER = date(2026, 11, 1), date(2026, 12, 1)


def _run_together(jobs) -> list[BaseException]:
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def run(job):
        try:
            barrier.wait(timeout=30)
            job()
        except BaseException as error:  # noqa: BLE001 — reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_two_months_issued_at_once_number_without_gap_or_duplicate(owner, traveller, unit, domain):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    owners: list[User] = [owner] + [make_user(f"owner{n}@example.fr", owner=True) for n in range(5)]
    bookings = []
    for index, someone in enumerate(owners):
        place = unit if someone == owner else unit_of(someone, domain, slug=f"prieure-{index}")
        bookings.append(paid_stay(unit=place, traveller=traveller, arrival=date(2026, 10, 10)))  # → 1 Nov
        bookings.append(paid_stay(unit=place, traveller=traveller, arrival=date(2026, 11, 10)))  # → 1 Dec

    errors = _run_together([
        lambda: issue_invoices(month=NOVEMBER, now=at(NOVEMBER, 7)),
        lambda: issue_invoices(month=DECEMBER, now=at(DECEMBER, 7)),
        lambda: issue_invoices(month=NOVEMBER, now=at(NOVEMBER, 8)),
        lambda: issue_invoices(month=DECEMBER, now=at(DECEMBER, 8)),
    ])

    assert errors == []
    positions = sorted(Invoice.objects.values_list("sequence_number", flat=True))
    assert positions == list(range(1, len(positions) + 1))  # no gap, no duplicate
    assert len(set(Invoice.objects.values_list("number", flat=True))) == len(positions)
    billed = Counter(InvoiceLine.objects.values_list("booking_id", flat=True))
    assert billed == Counter({booking.pk: 1 for booking in bookings})  # each booking once
    # December may have caught up an owner's October stay if it ran first; never both months twice.
    assert len(positions) >= len(owners) and Invoice.objects.filter(month=NOVEMBER).count() <= len(owners)
