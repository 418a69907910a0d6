"""Idempotency-Key replay and failure injection on the local Stripe server: what exactly-once
money (payouts/) is tested against."""
import pytest
import requests
import stripe

from devtools.testing import SECRET_KEY

from .conftest import sdk_client


def send(sdk, destination: str, *, key: str, amount: int = 1000) -> stripe.Transfer:
    return sdk.v1.transfers.create(params={"amount": amount, "currency": "eur", "destination": destination,
                                           "transfer_group": "payout-1"}, options={"idempotency_key": key})


def test_a_post_replayed_with_its_key_returns_the_same_object_and_creates_nothing(sdk, stripe_server,
                                                                                   ready_account):
    first = send(sdk, ready_account, key="alma-payout-1")
    again = send(sdk, ready_account, key="alma-payout-1")

    assert again.id == first.id
    assert len(stripe_server.transfers(transfer_group="payout-1")) == 1
    assert stripe_server.balance(ready_account) == 1000


def test_a_replay_says_so_and_returns_the_saved_answer(stripe_server, ready_account):
    def post():
        return requests.post(f"{stripe_server.url}/v1/transfers", timeout=5,
                             headers={"Authorization": f"Bearer {SECRET_KEY}", "Idempotency-Key": "k"},
                             data={"amount": 500, "currency": "eur", "destination": ready_account})

    first, again = post(), post()

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers


def test_a_key_reused_with_other_parameters_is_refused(sdk, stripe_server, ready_account):
    send(sdk, ready_account, key="alma-payout-1")

    with pytest.raises(stripe.IdempotencyError):
        send(sdk, ready_account, key="alma-payout-1", amount=1001)
    assert len(stripe_server.transfers()) == 1


def test_keys_are_forgotten_after_24_hours(sdk, stripe_server, ready_account):
    first = send(sdk, ready_account, key="alma-payout-1")
    stripe_server.advance_clock(23 * 3600)
    assert send(sdk, ready_account, key="alma-payout-1").id == first.id

    stripe_server.advance_clock(3600)

    assert send(sdk, ready_account, key="alma-payout-1").id != first.id
    assert len(stripe_server.transfers()) == 2


def test_a_parameter_error_is_not_saved_so_the_same_key_works_once_fixed(sdk, stripe_server, new_account):
    waiting = new_account().id
    with pytest.raises(stripe.InvalidRequestError):
        send(sdk, waiting, key="alma-payout-1")

    stripe_server.complete_onboarding(waiting)

    assert send(sdk, waiting, key="alma-payout-1").destination == waiting


def test_a_500_then_a_retry_with_the_same_key_sends_exactly_one_transfer(sdk, stripe_server, ready_account):
    stripe_server.fail_next("/v1/transfers")

    with pytest.raises(stripe.APIError) as failed:
        send(sdk, ready_account, key="alma-payout-1")
    assert failed.value.http_status == 500
    assert stripe_server.transfers() == []  # the call never ran
    retried = send(sdk, ready_account, key="alma-payout-1")

    assert [t["id"] for t in stripe_server.transfers()] == [retried.id]


def test_the_sdk_retries_a_500_by_itself_with_the_same_key(stripe_server, ready_account):
    stripe_server.fail_next("/v1/transfers", count=2)
    retrying = sdk_client(stripe_server.url, retries=2)

    sent = send(retrying, ready_account, key="alma-payout-1")

    assert [t["id"] for t in stripe_server.transfers()] == [sent.id]


def test_a_lost_answer_retried_with_its_key_returns_the_transfer_already_made(stripe_server, ready_account):
    stripe_server.fail_next("/v1/transfers", mode="timeout", seconds=2)
    impatient = sdk_client(stripe_server.url, read_timeout=0.5)

    with pytest.raises(stripe.APIConnectionError):
        send(impatient, ready_account, key="alma-payout-1")
    made = stripe_server.transfers()
    retried = send(impatient, ready_account, key="alma-payout-1")

    assert len(made) == 1 and retried.id == made[0]["id"]
    assert len(stripe_server.transfers()) == 1


def test_injected_insufficient_funds_is_refused_and_replayed_like_stripe(sdk, stripe_server, ready_account):
    stripe_server.fail_next("/v1/transfers", mode="insufficient_funds")

    for _ in range(2):  # the refusal is saved for its key, as Stripe saves it
        with pytest.raises(stripe.InvalidRequestError) as refused:
            send(sdk, ready_account, key="alma-payout-1")
        assert refused.value.code == "balance_insufficient"

    assert send(sdk, ready_account, key="alma-payout-1-retry").amount == 1000
    assert len(stripe_server.transfers()) == 1


def test_failures_match_their_method_and_path_and_can_be_cleared(sdk, stripe_server, ready_account):
    sent = send(sdk, ready_account, key="k1")
    stripe_server.fail_next("/v1/transfers/", match="prefix", count=5)
    send(sdk, ready_account, key="k2")  # /v1/transfers itself is not under /v1/transfers/
    with pytest.raises(stripe.APIError):
        sdk.v1.transfers.reversals.create(sent.id, params={"amount": 10})
    assert sdk.v1.transfers.retrieve(sent.id).id == sent.id  # GET: the rule is for POST

    stripe_server.clear_failures()

    assert sdk.v1.transfers.reversals.create(sent.id, params={"amount": 10}).amount == 10


def test_resetting_the_server_forgets_keys_failures_accounts_and_balances(sdk, stripe_server, ready_account):
    send(sdk, ready_account, key="alma-payout-1")
    stripe_server.fail_next("/v1/accounts", count=3)
    stripe_server.set_balance(None, 5)

    requests.delete(f"{stripe_server.url}/_config/data", timeout=5).raise_for_status()

    assert stripe_server.transfers() == [] and stripe_server.balance() == 0
    with pytest.raises(stripe.InvalidRequestError):
        sdk.v1.accounts.retrieve(ready_account)
    fresh = sdk.v1.accounts.create(params={"type": "express", "capabilities": {"transfers": {"requested": True}}})
    stripe_server.complete_onboarding(fresh.id)
    assert send(sdk, fresh.id, key="alma-payout-1").destination == fresh.id
