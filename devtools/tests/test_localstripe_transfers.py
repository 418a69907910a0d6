"""Transfers, reversals and balances on the local Stripe server, through the stripe-python SDK."""
import pytest
import stripe

from devtools.testing import VISA


def transfer(sdk, destination: str, amount: int, *, group: str = "", **extra) -> stripe.Transfer:
    params = {"amount": amount, "currency": "eur", "destination": destination, **extra}
    if group:
        params["transfer_group"] = group
    return sdk.v1.transfers.create(params=params)


def test_transfers_are_listed_by_transfer_group_and_destination(sdk, stripe_server, new_account):
    helene, armand = new_account().id, new_account().id
    stripe_server.complete_onboarding(helene)
    stripe_server.complete_onboarding(armand)
    october = transfer(sdk, helene, 10000, group="payout-2026-10-owner-1", metadata={"alma_payout": "1"})
    transfer(sdk, armand, 2500, group="payout-2026-10-owner-2")
    november = transfer(sdk, helene, 700, group="payout-2026-11-owner-1")

    found = sdk.v1.transfers.list(params={"transfer_group": "payout-2026-10-owner-1"})
    assert [t.id for t in found.data] == [october.id]
    assert found.data[0].metadata["alma_payout"] == "1"
    assert [t.id for t in sdk.v1.transfers.list(params={"destination": helene}).data] == [november.id, october.id]
    assert [t["id"] for t in stripe_server.transfers(destination=helene, transfer_group="payout-2026-11-owner-1")
            ] == [november.id]
    assert len(stripe_server.transfers()) == 3
    assert sdk.v1.transfers.retrieve(october.id).amount == 10000


def test_a_transfer_moves_money_from_the_platform_to_the_owner(sdk, stripe_server, ready_account):
    stripe_server.set_balance(None, 50000)

    transfer(sdk, ready_account, 12345)

    assert stripe_server.balance() == 50000 - 12345
    assert stripe_server.balance(ready_account) == 12345
    connected = sdk.v1.balance.retrieve(options={"stripe_account": ready_account})
    assert connected.available[0].amount == 12345


def test_a_transfer_the_platform_balance_does_not_cover_is_refused(sdk, stripe_server, ready_account):
    stripe_server.set_balance(None, 1000)

    with pytest.raises(stripe.InvalidRequestError) as refused:
        transfer(sdk, ready_account, 1001)

    assert refused.value.code == "balance_insufficient"
    assert stripe_server.transfers() == [] and stripe_server.balance() == 1000


def test_card_payments_fill_the_platform_balance_and_refunds_empty_it(sdk, stripe_server):
    intent = sdk.v1.payment_intents.create(params={"amount": 40000, "currency": "eur",
                                                   "payment_method_types": ["card"]})
    assert stripe_server.pay(intent.id, intent.client_secret, card=VISA).status_code == 200
    assert stripe_server.balance() == 40000

    sdk.v1.refunds.create(params={"payment_intent": intent.id, "amount": 15000})

    assert stripe_server.balance() == 25000


def test_a_reversal_the_owner_balance_does_not_cover_is_refused(sdk, stripe_server, ready_account):
    sent = transfer(sdk, ready_account, 1000, group="payout-1")
    stripe_server.set_balance(ready_account, 300)  # the owner was paid out meanwhile

    with pytest.raises(stripe.InvalidRequestError) as refused:
        sdk.v1.transfers.reversals.create(sent.id, params={"amount": 500})
    assert refused.value.code == "balance_insufficient"
    assert stripe_server.reversals(sent.id) == []

    reversal = sdk.v1.transfers.reversals.create(sent.id, params={"amount": 300, "metadata": {"alma_debt": "9"}})
    assert (reversal.amount, reversal.transfer, reversal.metadata["alma_debt"]) == (300, sent.id, "9")
    assert stripe_server.balance(ready_account) == 0
    assert [r["id"] for r in stripe_server.reversals(sent.id)] == [reversal.id]
    after = sdk.v1.transfers.retrieve(sent.id)
    assert (after.amount_reversed, after.reversed) == (300, False)


def test_a_transfer_cannot_be_reversed_beyond_its_amount(sdk, stripe_server, ready_account):
    sent = transfer(sdk, ready_account, 1000)
    sdk.v1.transfers.reversals.create(sent.id, params={"amount": 400})

    with pytest.raises(stripe.InvalidRequestError):
        sdk.v1.transfers.reversals.create(sent.id, params={"amount": 601})
    rest = sdk.v1.transfers.reversals.create(sent.id)  # no amount: what is left

    assert rest.amount == 600
    after = sdk.v1.transfers.retrieve(sent.id)
    assert (after.amount_reversed, after.reversed) == (1000, True)
    assert [r.amount for r in sdk.v1.transfers.reversals.list(sent.id).data] == [600, 400]


def test_transfers_to_unknown_or_unready_accounts_are_refused(sdk, stripe_server, new_account):
    with pytest.raises(stripe.InvalidRequestError) as unknown:
        transfer(sdk, "acct_nobody", 100)
    waiting = new_account().id
    with pytest.raises(stripe.InvalidRequestError) as unready:
        transfer(sdk, waiting, 100)

    assert unknown.value.param == "destination"
    assert unready.value.code == "insufficient_capabilities_for_transfer"
    assert stripe_server.transfers() == []


def test_transfer_events_are_the_platforms_own(sdk, stripe_server, ready_account):
    sent = transfer(sdk, ready_account, 1000)
    sdk.v1.transfers.reversals.create(sent.id, params={"amount": 100})
    sdk.v1.transfers.update(sent.id, params={"metadata": {"alma_payout": "3"}})

    kinds = {event["type"]: event for event in stripe_server.events() if event["type"].startswith("transfer.")}
    assert set(kinds) == {"transfer.created", "transfer.reversed", "transfer.updated"}
    assert all("account" not in event for event in kinds.values())
    assert kinds["transfer.reversed"]["data"]["object"]["amount_reversed"] == 100
    assert kinds["transfer.updated"]["data"]["previous_attributes"] == {"metadata": {}}


def test_an_unknown_stripe_account_header_is_refused(sdk):
    with pytest.raises(stripe.PermissionError):
        sdk.v1.balance.retrieve(options={"stripe_account": "acct_nobody"})
