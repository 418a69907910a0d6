"""Exactly once on PostgreSQL: the monthly run twice, twice at once (threads released by a
barrier: two beats, or a staff click during the run), with the local Stripe server failing
the first transfer call. Read back from the server: one transfer per owner and month.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alma_ledger pytest -m postgres payouts
"""
import threading
from datetime import date

import pytest
from django.db import connection, connections

from conftest import make_user
from payouts import ledger, monthly
from payouts.models import LedgerTransaction, Payout, PayoutLine, PayoutStatus, TransactionKind

from .money import another_unit, onboarded, paid_stay, paris

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
]
NOV = date(2026, 11, 1)
RUN = paris(2026, 11, 1, 6)


def together(*works):
    barrier = threading.Barrier(len(works))
    outcomes: list = [None] * len(works)

    def run(index, work):
        try:
            barrier.wait()
            outcomes[index] = work()
        except Exception as error:  # noqa: BLE001 - asserted by the caller
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(works)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.fixture
def owners_with_october_stays(owner, unit, traveller, stripe_server):
    """Three owners (three domains' worth of units), each with two stays ended in October."""
    from domains.models import Domain
    from lodgings.models import Lodging

    owners = [owner, make_user("armand@example.fr", owner=True), make_user("margot@example.fr", owner=True)]
    accounts = {}
    for n, person in enumerate(owners):
        if n:
            domain = Domain.objects.create(owner=person, name=f"Domaine {n}", slug=f"domaine-{n}",
                                           heritage_kind="chateau", commune="Blois", status="published")
            lodging = Lodging.objects.get(pk=unit.lodging.pk)
            lodging.pk, lodging.domain, lodging.slug = None, domain, f"logis-{n}"
            lodging.save()
            base = another_unit(unit, f"Unité {n}")
            base.lodging = lodging
            base.save()
        else:
            base = unit
        paid_stay(base, traveller, date(2026, 10, 10), date(2026, 10, 12))
        paid_stay(another_unit(base, f"Autre {n}"), traveller, date(2026, 10, 20), date(2026, 10, 24))
        accounts[person.pk] = onboarded(person, stripe_server).stripe_account_id
    return accounts


def assert_one_transfer_each(stripe_server, accounts):
    for owner_id, account_id in accounts.items():
        payout = Payout.objects.get(owner_id=owner_id, month=NOV)
        assert payout.status == PayoutStatus.SENT
        transfers = stripe_server.transfers(destination=account_id)
        assert [t["amount"] for t in transfers] == [payout.amount_cents] == [
            sum(payout.lines.filter(released=False).values_list("amount_cents", flat=True))]
        assert transfers[0]["transfer_group"] == payout.transfer_group
        assert ledger.owner_balance(owner_id) == 0
    assert LedgerTransaction.objects.filter(kind=TransactionKind.PAYOUT_SENT).count() == len(accounts)
    assert not ledger.unbalanced_transactions().exists()


def test_the_run_twice_in_a_row_pays_each_owner_once(owners_with_october_stays, stripe_server):
    stripe_server.fail_next("/v1/transfers", mode="500")  # the first transfer call fails: retried, same key
    monthly.run_payouts(month=NOV, now=RUN)
    monthly.run_payouts(month=NOV, now=RUN)
    assert_one_transfer_each(stripe_server, owners_with_october_stays)


@pytest.mark.parametrize("failure", ["500", "timeout"])
def test_two_runs_at_once_pay_each_owner_once(owners_with_october_stays, stripe_server, failure):
    stripe_server.fail_next("/v1/transfers", mode=failure, seconds=1)
    outcomes = together(lambda: monthly.run_payouts(month=NOV, now=RUN),
                        lambda: monthly.run_payouts(month=NOV, now=RUN),
                        lambda: monthly.run_payouts(month=NOV, now=paris(2026, 11, 1, 6, 1)))  # a staff click
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    monthly.retry_payouts(now=paris(2026, 11, 1, 8))  # anything a run left in doubt
    assert_one_transfer_each(stripe_server, owners_with_october_stays)
    assert PayoutLine.objects.filter(released=False).count() == 6
    assert LedgerTransaction.objects.filter(kind=TransactionKind.BOOKING_ENDED).count() == 6
