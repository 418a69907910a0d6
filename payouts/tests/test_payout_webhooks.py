"""Transfer and dispute events: unknown ones ignored (200, nothing moves), replays and
events out of order posted once, chargebacks reaching the ledger."""
from datetime import date

import pytest

from payouts import ledger, monthly, stripe_adapter
from payouts.models import Dispute, DisputeStatus, LedgerAccount, LedgerTransaction, Payout, PayoutStatus

from .conftest import event
from .money import onboarded, paid_stay, paris

pytestmark = pytest.mark.django_db
NOV, DEC = date(2026, 11, 1), date(2026, 12, 1)
A = LedgerAccount


@pytest.fixture
def stay(unit, traveller):
    return paid_stay(unit, traveller, date(2026, 10, 28), date(2026, 10, 31))  # owner's net 348 €


@pytest.fixture
def paid_out(stay, owner, stripe_server):
    onboarded(owner, stripe_server)
    monthly.run_payouts(month=NOV, now=paris(2026, 11, 1, 6))
    return Payout.objects.get(owner=owner, month=NOV)


def dispute(stay, status="needs_response", dispute_id="dp_1", amount=40000) -> dict:
    return {"id": dispute_id, "object": "dispute", "amount": amount, "currency": "eur",
            "charge": f"ch_{stay.reference}", "payment_intent": f"pi_{stay.reference}", "reason": "fraudulent",
            "status": status}


def test_events_about_transfers_that_are_not_ours_are_ignored(post_event, paid_out, stripe_server):
    before = LedgerTransaction.objects.count()
    for group in ("", "payout-999999", "booking-XYZ"):
        forged = {"id": "tr_unknown", "object": "transfer", "amount": 1, "transfer_group": group,
                  "destination": "acct_x", "reversals": {"data": [{"id": "trr_x", "amount": 1}]}}
        assert post_event(event("transfer.reversed", forged, event_id=f"evt_{group}")).status_code == 200
    assert LedgerTransaction.objects.count() == before


def test_a_transfer_event_confirms_a_payout_whose_answer_was_lost(owner, stay, stripe_server, post_event,
                                                                  monkeypatch):
    onboarded(owner, stripe_server)
    made = {}

    def answer_lost(**kwargs):
        made.update(stripe_adapter.create_transfer.__wrapped__(**kwargs))
        raise stripe_adapter.StripeUnavailable("connection reset")

    original = stripe_adapter.create_transfer
    answer_lost.__wrapped__ = original
    monkeypatch.setattr(stripe_adapter, "create_transfer", answer_lost)
    monkeypatch.setattr(stripe_adapter, "find_transfers", lambda **kwargs: (_ for _ in ()).throw(
        stripe_adapter.StripeUnavailable("down")))
    monthly.run_payouts(month=NOV, now=paris(2026, 11, 1, 6))
    payout = Payout.objects.get(owner=owner)
    assert payout.status == PayoutStatus.PENDING
    post_event(event("transfer.created", made))
    payout.refresh_from_db()
    assert payout.status == PayoutStatus.SENT and payout.stripe_transfer_id == made["id"]
    assert ledger.owner_balance(owner.pk) == 0


def test_a_reversal_made_in_stripe_makes_the_money_payable_again_once(paid_out, post_event, stripe_server, owner):
    stripe_adapter.create_reversal(transfer_id=paid_out.stripe_transfer_id, amount_cents=5000,
                                   idempotency_key="dashboard-1", metadata={})
    transfer = stripe_adapter.retrieve_transfer(paid_out.stripe_transfer_id)
    for n in range(3):  # replays, each with its own event id
        post_event(event("transfer.reversed", transfer, event_id=f"evt_rev_{n}"))
    assert ledger.owner_balance(owner.pk) == 5000
    monthly.run_payouts(month=DEC, now=paris(2026, 12, 1, 6))
    assert Payout.objects.get(owner=owner, month=DEC).amount_cents == 5000


def test_a_dispute_lost_after_the_payout_becomes_the_owner_debt(paid_out, stay, post_event, owner):
    assert post_event(event("charge.dispute.created", dispute(stay))).status_code == 200
    assert ledger.account_balances()[A.DISPUTES] == 40000
    post_event(event("charge.dispute.closed", dispute(stay, status="lost")))
    post_event(event("charge.dispute.closed", dispute(stay, status="lost"), event_id="evt_replayed"))
    assert Dispute.objects.get().status == DisputeStatus.LOST
    assert ledger.account_balances()[A.DISPUTES] == 0
    assert ledger.booking_split(stay).kept == 0
    assert ledger.owner_balance(owner.pk) == -34800
    assert not ledger.unbalanced_transactions().exists()


def test_a_dispute_closed_before_its_creation_event_is_posted_once(stay, post_event):
    post_event(event("charge.dispute.closed", dispute(stay, status="won")))
    post_event(event("charge.dispute.created", dispute(stay)))
    keys = sorted(LedgerTransaction.objects.filter(key__startswith="dispute:").values_list("key", flat=True))
    assert keys == ["dispute:dp_1:opened", "dispute:dp_1:won"]
    assert ledger.account_balances()[A.DISPUTES] == 0
    assert ledger.booking_split(stay).kept == 0  # not ended yet, nothing lost


def test_a_dispute_on_a_charge_that_is_not_ours_is_ignored(post_event, stay):
    stranger = {**dispute(stay), "charge": "ch_nobody", "payment_intent": "pi_nobody"}
    assert post_event(event("charge.dispute.created", stranger)).status_code == 200
    assert not Dispute.objects.exists()


def test_a_forged_dispute_amount_never_exceeds_the_payment(stay, post_event):
    post_event(event("charge.dispute.created", dispute(stay, amount=10**9)))
    assert Dispute.objects.get().amount_cents == 40000
