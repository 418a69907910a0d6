"""What the local Stripe server adds to localstripe for card payments and refunds."""
from pathlib import Path

import pytest
import stripe
from django.conf import settings
from django.core.management import CommandError, call_command

from devtools.testing import VISA

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def intent(sdk):
    return sdk.v1.payment_intents.create(params={"amount": 40000, "currency": "eur", "payment_method_types": ["card"],
                                                 "transfer_group": "booking-AH-1", "description": "Alma Heritage AH-1"})


def test_the_decline_test_card_is_declined(stripe_server, intent):
    answer = stripe_server.pay(intent.id, intent.client_secret, card="4000000000000002")

    assert answer.status_code == 402
    assert answer.json()["error"]["code"] == "card_declined"
    assert stripe_server.intent(intent.id)["status"] == "requires_payment_method"
    assert stripe_server.balance() == 0


def test_payment_intents_keep_their_transfer_group(stripe_server, intent):
    assert stripe_server.intent(intent.id)["transfer_group"] == "booking-AH-1"


def test_a_refund_beyond_what_is_left_is_refused(sdk, stripe_server, intent):
    stripe_server.pay(intent.id, intent.client_secret, card=VISA)
    sdk.v1.refunds.create(params={"payment_intent": intent.id, "amount": 30000})

    with pytest.raises(stripe.InvalidRequestError) as refused:
        sdk.v1.refunds.create(params={"payment_intent": intent.id, "amount": 10001})
    assert refused.value.code == "amount_too_large"
    rest = sdk.v1.refunds.create(params={"payment_intent": intent.id})  # no amount: what is left

    assert rest.amount == 10000
    with pytest.raises(stripe.InvalidRequestError) as again:
        sdk.v1.refunds.create(params={"payment_intent": intent.id})
    assert again.value.code == "charge_already_refunded"
    assert sorted(r["amount"] for r in stripe_server.refunds(intent.id)) == [10000, 30000]
    assert len(stripe_server.events("charge.refunded")) == 2


def test_the_development_server_refuses_a_stripe_api_base_that_is_not_local(settings):
    settings.STRIPE_API_BASE = "https://api.stripe.com"

    with pytest.raises(CommandError, match="not a local server"):
        call_command("run_localstripe")


def production_modules():
    skipped = {".venv", "node_modules", "devtools", "tests", "bench", "bin", "migrations"}
    for path in BASE_DIR.rglob("*.py"):
        parts = set(path.relative_to(BASE_DIR).parts)
        if not parts & skipped and path.name != "conftest.py" and "settings" not in parts:
            yield path


def test_no_production_module_imports_the_local_server_or_devtools():
    offenders = [str(path.relative_to(BASE_DIR)) for path in production_modules()
                 if any(line.lstrip().startswith(("import localstripe", "from localstripe", "import devtools",
                                                  "from devtools"))
                        for line in path.read_text().splitlines())]

    assert offenders == []
    assert "devtools" not in __import__("almaheritage.settings.base", fromlist=["INSTALLED_APPS"]).INSTALLED_APPS
    assert "devtools" in settings.INSTALLED_APPS  # the test settings do install it


def test_a_dispute_withdraws_the_amount_until_it_is_won(sdk, stripe_server, intent):
    stripe_server.pay(intent.id, intent.client_secret, card=VISA)

    dispute = stripe_server.open_dispute(intent.id, amount=15000)

    assert (dispute["status"], dispute["amount"], dispute["payment_intent"]) == ("needs_response", 15000, intent.id)
    assert stripe_server.balance() == 25000
    assert sdk.v1.disputes.list(params={"payment_intent": intent.id}).data[0].id == dispute["id"]
    stripe_server.close_dispute(dispute["id"], status="won")
    assert stripe_server.balance() == 40000
    assert sdk.v1.disputes.retrieve(dispute["id"]).status == "won"
    kinds = [event["type"] for event in stripe_server.events() if event["type"].startswith("charge.dispute.")]
    assert sorted(kinds) == ["charge.dispute.closed", "charge.dispute.created", "charge.dispute.funds_reinstated",
                             "charge.dispute.funds_withdrawn"]


def test_a_dispute_the_platform_accepts_is_lost(sdk, stripe_server, intent):
    stripe_server.pay(intent.id, intent.client_secret, card=VISA)
    dispute = stripe_server.open_dispute(intent.id)

    closed = sdk.v1.disputes.close(dispute["id"])

    assert (closed.status, closed.amount) == ("lost", 40000)
    assert stripe_server.balance() == 0
    with pytest.raises(stripe.InvalidRequestError):
        sdk.v1.disputes.close(dispute["id"])
