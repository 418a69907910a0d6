"""Monthly payouts: which services a 1st pays (Paris months, daylight-saving included), what
reaches the owner's connected account (read back from the local Stripe server), waiting
owners, failures and staff alerts."""
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings.models import service_end_of
from payouts import ledger, monthly, stripe_adapter
from payouts.models import Payout, PayoutLine, PayoutStatus

from .money import another_unit, onboarded, paid_session, paid_stay, paris, ready_without_stripe, session_between

pytestmark = pytest.mark.django_db

NOV, DEC = date(2026, 11, 1), date(2026, 12, 1)
NOV_RUN = paris(2026, 11, 1, 6)
DEC_RUN = paris(2026, 12, 1, 6)


def paid_references(payout: Payout) -> set[str]:
    return set(payout.lines.filter(released=False).values_list("booking__reference", flat=True))


@pytest.fixture
def october(unit, session, traveller):
    """The issue's examples, all paid in September."""
    return {
        "28-31": paid_stay(unit, traveller, date(2026, 10, 28), date(2026, 10, 31)),
        "30-2": paid_stay(another_unit(unit, "Chambre 2"), traveller, date(2026, 10, 30), date(2026, 11, 2)),
        "29-1": paid_stay(another_unit(unit, "Chambre 3"), traveller, date(2026, 10, 29), date(2026, 11, 1)),
        "31 18-20h": paid_session(session_between(session, paris(2026, 10, 31, 18), paris(2026, 10, 31, 20)),
                                  traveller),
        "31 23h-1h": paid_session(session_between(session, paris(2026, 10, 31, 23), paris(2026, 11, 1, 1)),
                                  traveller),
    }


def test_service_end_is_departure_midnight_in_paris_or_the_session_end(october):
    assert october["29-1"].service_end == datetime(2026, 10, 31, 23, 0, tzinfo=UTC)  # 00:00 CET on 1 Nov
    assert october["31 18-20h"].service_end == datetime(2026, 10, 31, 19, 0, tzinfo=UTC)
    assert service_end_of(october["28-31"]) == october["28-31"].service_end


def test_the_first_of_the_month_pays_what_ended_before_it_in_paris(owner, stripe_server, october):
    account = onboarded(owner, stripe_server)
    monthly.run_payouts(month=NOV, now=NOV_RUN)
    november = Payout.objects.get(owner=owner, month=NOV)
    assert paid_references(november) == {october["28-31"].reference, october["31 18-20h"].reference}
    assert november.status == PayoutStatus.SENT

    monthly.run_payouts(month=DEC, now=DEC_RUN)
    december = Payout.objects.get(owner=owner, month=DEC)
    assert paid_references(december) == {october["30-2"].reference, october["29-1"].reference,
                                         october["31 23h-1h"].reference}
    transfers = stripe_server.transfers(destination=account.stripe_account_id)
    assert sorted(t["amount"] for t in transfers) == sorted([november.amount_cents, december.amount_cents])
    # 28–31 Oct: 3 nights × 120 € + 40 € = 400 €, 13 % commission → 348 €; the session: 90 € − 15 % → 76,50 €.
    assert november.amount_cents == 34800 + 7650


def test_months_are_counted_across_the_october_clock_change(owner, unit, session, traveller, stripe_server):
    """1 October 00:00 is 22:00 UTC the day before (summer time); 1 November 00:00 is 23:00 UTC."""
    onboarded(owner, stripe_server)
    before_october = paid_session(session_between(session, paris(2026, 9, 30, 22), paris(2026, 9, 30, 23, 59)),
                                  traveller, now=datetime(2026, 9, 1, tzinfo=UTC))
    after_midnight = paid_session(session_between(session, paris(2026, 9, 30, 23), paris(2026, 10, 1, 0, 30)),
                                  traveller, now=datetime(2026, 9, 1, tzinfo=UTC))
    on_the_change = paid_stay(unit, traveller, date(2026, 10, 23), date(2026, 10, 25))  # DST ends 25 Oct
    monthly.run_payouts(month=date(2026, 10, 1), now=paris(2026, 10, 1, 6))
    assert paid_references(Payout.objects.get(month=date(2026, 10, 1))) == {before_october.reference}
    monthly.run_payouts(month=NOV, now=NOV_RUN)
    assert paid_references(Payout.objects.get(month=NOV)) == {after_midnight.reference, on_the_change.reference}


def test_paid_on_names_the_first_that_pays_a_service():
    assert monthly.paid_on(paris(2026, 10, 31, 20)) == NOV
    assert monthly.paid_on(paris(2026, 11, 1, 0)) == DEC  # a departure on the 1st waits a month
    assert monthly.paid_on(paris(2026, 11, 1, 1)) == DEC


def test_a_run_at_half_past_midnight_on_the_first_pays_the_month_just_ended(owner, stripe_server, october):
    onboarded(owner, stripe_server)
    with time_machine.travel(paris(2026, 11, 1, 0, 30), tick=False):  # still 31 October in UTC
        assert monthly.payout_month(datetime.now(tz=UTC)) == NOV
        call_command("run_payouts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Payout.objects.get(owner=owner).month == NOV


def test_a_month_that_has_not_started_cannot_be_paid(october):
    with pytest.raises(ValueError, match="not started"):
        monthly.run_payouts(month=DEC, now=NOV_RUN)


def test_owner_not_onboarded_accumulates_then_gets_the_backlog(owner, stripe_server, october):
    monthly.run_payouts(month=NOV, now=NOV_RUN)
    waiting = Payout.objects.get(owner=owner, month=NOV)
    assert waiting.status == PayoutStatus.WAITING_ONBOARDING
    assert waiting.amount_cents == 34800 + 7650 and not waiting.lines.exists()
    assert stripe_server.transfers() == []

    account = onboarded(owner, stripe_server)
    monthly.run_payouts(month=DEC, now=DEC_RUN)
    december = Payout.objects.get(owner=owner, month=DEC)
    assert december.status == PayoutStatus.SENT
    assert len(paid_references(december)) == 5  # November's backlog and December's
    [transfer] = stripe_server.transfers(destination=account.stripe_account_id)
    assert transfer["amount"] == december.amount_cents == 3 * 34800 + 2 * 7650


def test_a_waiting_month_is_paid_when_staff_run_it_again_once_the_owner_is_ready(owner, stripe_server, october):
    monthly.run_payouts(month=NOV, now=NOV_RUN)
    onboarded(owner, stripe_server)
    monthly.run_payouts(month=NOV, now=paris(2026, 11, 5, 10))
    payout = Payout.objects.get(owner=owner, month=NOV)
    assert payout.status == PayoutStatus.SENT and payout.amount_cents == 34800 + 7650
    assert len(stripe_server.transfers()) == 1


def test_a_refused_transfer_fails_alerts_staff_and_keeps_the_money_payable(
        owner, stripe_server, october, settings, django_capture_on_commit_callbacks):
    account = onboarded(owner, stripe_server)
    stripe_server.fail_next("/v1/transfers", mode="insufficient_funds")
    with django_capture_on_commit_callbacks(execute=True):
        monthly.run_payouts(month=NOV, now=NOV_RUN)
    failed = Payout.objects.get(owner=owner, month=NOV)
    assert failed.status == PayoutStatus.FAILED and failed.last_error
    assert not PayoutLine.objects.filter(payout=failed, released=False).exists()
    assert [m.to for m in mail.outbox if "Versement" in m.subject] == [[settings.STAFF_INBOX_OWNERS]]
    assert len(ledger.payable_entries(owner.pk, before=monthly.cutoff(NOV))) == 2  # payable again

    monthly.run_payouts(month=NOV, now=paris(2026, 11, 2, 9))  # staff run the month again from admin
    failed.refresh_from_db()
    assert failed.status == PayoutStatus.SENT and failed.amount_cents == 34800 + 7650
    assert [t["amount"] for t in stripe_server.transfers(destination=account.stripe_account_id)] == [42450]


def test_a_5xx_is_retried_with_the_same_key_and_pays_once(owner, stripe_server, october):
    account = onboarded(owner, stripe_server)
    stripe_server.fail_next("/v1/transfers", mode="500")
    monthly.run_payouts(month=NOV, now=NOV_RUN)
    assert Payout.objects.get(owner=owner, month=NOV).status == PayoutStatus.SENT
    assert len(stripe_server.transfers(destination=account.stripe_account_id)) == 1


def test_an_answer_lost_leaves_the_payout_in_doubt_and_the_sweep_finds_the_transfer(
        owner, stripe_server, october, monkeypatch):
    """The transfer went through but its answer was lost, and Stripe cannot even be asked
    afterwards: nothing is marked failed nor sent again; the sweep finds it by its group."""
    account = onboarded(owner, stripe_server)
    real_create = stripe_adapter.create_transfer

    def answer_lost(**kwargs):
        real_create(**kwargs)
        stripe_server.fail_next("/v1/transfers", count=10, mode="500", method="GET")
        raise stripe_adapter.StripeUnavailable("read timed out")

    monkeypatch.setattr(stripe_adapter, "create_transfer", answer_lost)
    monthly.run_payouts(month=NOV, now=NOV_RUN)
    payout = Payout.objects.get(owner=owner, month=NOV)
    assert payout.status == PayoutStatus.PENDING
    monkeypatch.setattr(stripe_adapter, "create_transfer", real_create)
    stripe_server.clear_failures()
    monthly.retry_payouts(now=paris(2026, 11, 1, 7))
    payout.refresh_from_db()
    assert payout.status == PayoutStatus.SENT
    assert len(stripe_server.transfers(destination=account.stripe_account_id)) == 1


def test_stripe_unreachable_keeps_the_payout_pending_then_sends_it_once(owner, stripe_server, october):
    account = onboarded(owner, stripe_server)
    stripe_server.fail_next("/v1/transfers", count=10, mode="500", method="POST")
    stripe_server.fail_next("/v1/transfers", count=10, mode="500", method="GET")
    monthly.run_payouts(month=NOV, now=NOV_RUN)
    assert Payout.objects.get(owner=owner, month=NOV).status == PayoutStatus.PENDING
    stripe_server.clear_failures()
    assert monthly.retry_payouts(now=paris(2026, 11, 1, 7)) == 1
    assert len(stripe_server.transfers(destination=account.stripe_account_id)) == 1


def test_a_deleted_owner_with_no_account_is_held_and_flagged(owner, october, django_capture_on_commit_callbacks):
    from accounts.services import delete_account

    delete_account(user=owner, now=NOV_RUN)
    with django_capture_on_commit_callbacks(execute=True):
        monthly.run_payouts(month=NOV, now=NOV_RUN)
    payout = Payout.objects.get(owner=owner, month=NOV)
    assert payout.status == PayoutStatus.HELD
    assert any("retenu" in m.subject for m in mail.outbox)


def test_a_deleted_owner_is_paid_to_the_account_on_record(owner, stripe_server, october):
    from accounts.services import delete_account

    account = onboarded(owner, stripe_server)
    delete_account(user=owner, now=NOV_RUN)
    monthly.run_payouts(month=NOV, now=NOV_RUN)
    assert Payout.objects.get(owner=owner, month=NOV).status == PayoutStatus.SENT
    assert len(stripe_server.transfers(destination=account.stripe_account_id)) == 1


def test_running_the_month_twice_sends_nothing_twice(owner, stripe_server, october):
    account = onboarded(owner, stripe_server)
    monthly.run_payouts(month=NOV, now=NOV_RUN)
    monthly.run_payouts(month=NOV, now=NOV_RUN)
    monthly.retry_payouts(now=paris(2026, 11, 2))
    assert Payout.objects.count() == 1
    assert len(stripe_server.transfers(destination=account.stripe_account_id)) == 1
    assert ledger.owner_balance(owner.pk) == 0  # November paid; December's not ended in the ledger yet


def test_staff_run_a_month_from_the_admin(client, staff, owner, stripe_server, october):
    onboarded(owner, stripe_server)
    client.force_login(staff)
    page = client.get("/admin/payouts/payout/lancer/")
    assert page.status_code == 200 and "Lancer" in page.content.decode()
    with time_machine.travel(NOV_RUN, tick=False):
        response = client.post("/admin/payouts/payout/lancer/", {"month": "2026-11"}, follow=True)
    assert "1 versé" in response.content.decode()
    assert Payout.objects.get(owner=owner, month=NOV).status == PayoutStatus.SENT
    assert client.post("/admin/payouts/payout/lancer/", {"month": "n'importe quoi"}, follow=True).status_code == 200


def test_the_beat_runs_on_the_first_at_six_in_paris_in_winter_and_summer(settings):
    from almaheritage.celery import app

    schedule = settings.CELERY_BEAT_SCHEDULE["run-payouts"]["schedule"]
    schedule.app = app
    for last_run, now, expected in ((paris(2026, 10, 1, 6), paris(2026, 10, 31, 12), paris(2026, 11, 1, 6)),
                                    (paris(2026, 7, 1, 6), paris(2026, 7, 31, 12), paris(2026, 8, 1, 6))):
        schedule.nowfun = lambda now=now: now
        assert now + schedule.remaining_estimate(last_run) == expected


def unit_of_another_owner(unit, n: int):
    from conftest import make_user
    from domains.models import Domain

    person = make_user(f"proprietaire{n}@example.fr", owner=True)
    domain = Domain.objects.create(owner=person, name=f"Domaine {n}", slug=f"domaine-{n}", heritage_kind="chateau",
                                   commune="Blois", status="published")
    lodging = type(unit.lodging).objects.get(pk=unit.lodging.pk)
    lodging.pk, lodging.domain, lodging.slug = None, domain, f"logis-{n}"
    lodging.save()
    other = another_unit(unit, f"Unité {n}")
    other.lodging = lodging
    other.save()
    return other


def test_the_run_makes_a_fixed_number_of_queries_per_owner_whatever_their_bookings(owner, unit, traveller,
                                                                                   monkeypatch):
    """The run writes owners by chunks (docs/payouts.md "Speed"): an owner with three stays
    costs what an owner with one costs, and each owner adds the same few queries."""
    sent = iter(range(100))
    monkeypatch.setattr(stripe_adapter, "create_transfer", lambda **kwargs: {"id": f"tr_{next(sent)}"})
    units = [unit, unit_of_another_owner(unit, 1), unit_of_another_owner(unit, 2)]
    for n, each in enumerate(units):
        ready_without_stripe(each.lodging.domain.owner, f"acct_{n}")

    def run(month, first_nights, owners, stays):
        for each in units[:owners]:
            for k in range(stays):
                paid_stay(another_unit(each, f"{month} {k}"), traveller, first_nights, first_nights.replace(day=12))
        now = paris(month.year, month.month, 1, 6)
        with time_machine.travel(now, tick=False), CaptureQueriesContext(connection) as queries:
            report = monthly.run_payouts(month=month, now=now)
        assert report.sent == owners
        return len(queries)

    one_stay_each = run(NOV, date(2026, 10, 10), owners=2, stays=1)
    three_stays_each = run(DEC, date(2026, 11, 10), owners=2, stays=3)
    a_third_owner = run(date(2027, 1, 1), date(2026, 12, 10), owners=3, stays=1)
    assert three_stays_each == one_stay_each
    # Its transfer recorded and posted to the ledger: 5 queries, and here 2 savepoints (the
    # test's transaction holds the run's; in production they are its BEGIN and COMMIT).
    assert a_third_owner - one_stay_each == 7
    assert Payout.objects.filter(status=PayoutStatus.SENT).count() == 7
    assert not ledger.unbalanced_transactions().exists()
