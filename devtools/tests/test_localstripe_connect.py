"""Connect on the local Stripe server, driven with the stripe-python SDK as payouts will drive
Stripe: accounts, the onboarding page an account link opens, login links, Connect events."""
import json
import re
import time

import pytest
import requests
import stripe
from werkzeug.wrappers import Response

from devtools.testing import WEBHOOK_SECRET

DOCUMENT = "individual.verification.document"
RETURN_URL = "http://127.0.0.1:8000/compte/stripe/retour/"
REFRESH_URL = "http://127.0.0.1:8000/compte/stripe/nouveau-lien/"


def onboarding_link(sdk, account_id: str) -> str:
    link = sdk.v1.account_links.create(params={"account": account_id, "refresh_url": REFRESH_URL,
                                               "return_url": RETURN_URL, "type": "account_onboarding"})
    assert link.expires_at > link.created
    return link.url


def choose(url: str, choice: str) -> requests.Response:
    """What the owner's browser does: open the page, press one of its buttons."""
    page = requests.get(url, allow_redirects=False, timeout=5)
    assert page.status_code == 200
    assert f'name="choice" value="{choice}"' in page.text
    return requests.post(url, data={"choice": choice}, allow_redirects=False, timeout=5)


def test_a_new_express_account_cannot_receive_transfers_yet(new_account):
    account = new_account(metadata={"alma_owner": "42"})

    assert account.id.startswith("acct_")
    assert (account.type, account.country, account.metadata["alma_owner"]) == ("express", "FR", "42")
    assert account.capabilities["transfers"] == "inactive"
    assert not account.details_submitted and not account.payouts_enabled and not account.charges_enabled
    assert "external_account" in account.requirements.currently_due
    assert account.requirements.past_due and account.requirements.disabled_reason == "requirements.past_due"


def test_an_account_made_with_controller_parameters_is_express_like(sdk):
    account = sdk.v1.accounts.create(params={
        "country": "FR", "capabilities": {"transfers": {"requested": True}},
        "controller": {"fees": {"payer": "application"}, "losses": {"payments": "application"},
                       "stripe_dashboard": {"type": "express"}}})

    assert account.type == "express"
    assert account.controller.stripe_dashboard.type == "express"
    assert account.controller.fees.payer == "application"


def test_completing_the_local_onboarding_page_activates_transfers(sdk, new_account):
    account = new_account()

    answer = choose(onboarding_link(sdk, account.id), "complete")

    assert answer.status_code == 303 and answer.headers["Location"] == RETURN_URL
    account = sdk.v1.accounts.retrieve(account.id)
    assert account.details_submitted and account.payouts_enabled
    assert account.capabilities["transfers"] == "active"
    assert account.requirements.currently_due == [] and account.requirements.past_due == []
    assert account.requirements.disabled_reason is None


def test_the_onboarding_page_names_its_buttons(sdk, new_account):
    page = requests.get(onboarding_link(sdk, new_account().id), timeout=5).text

    assert '<html lang="fr">' in page
    buttons = re.findall(r"<button[^>]*>([^<]+)</button>", page)
    assert buttons == ["Terminer l'inscription", "Envoyer plus tard une pièce d'identité", "Quitter sans terminer"]


def test_leaving_the_onboarding_returns_with_nothing_done(sdk, new_account):
    account = new_account()

    answer = choose(onboarding_link(sdk, account.id), "leave")

    assert answer.headers["Location"] == RETURN_URL  # Stripe returns there whether or not it is finished
    account = sdk.v1.accounts.retrieve(account.id)
    assert not account.details_submitted and account.capabilities["transfers"] == "inactive"


def test_a_document_asked_keeps_transfers_off(sdk, new_account):
    account = new_account()

    choose(onboarding_link(sdk, account.id), "document")

    account = sdk.v1.accounts.retrieve(account.id)
    assert account.details_submitted and not account.payouts_enabled
    assert account.capabilities["transfers"] == "inactive"
    assert account.requirements.currently_due == [DOCUMENT] and account.requirements.past_due == [DOCUMENT]
    assert account.requirements.disabled_reason == "requirements.past_due"
    with pytest.raises(stripe.InvalidRequestError) as refused:
        sdk.v1.transfers.create(params={"amount": 1000, "currency": "eur", "destination": account.id})
    assert refused.value.code == "insufficient_capabilities_for_transfer"


def test_a_document_due_by_a_deadline_leaves_an_onboarded_account_enabled(stripe_server, ready_account):
    account = stripe_server.require_document(ready_account, deadline=1_900_000_000)

    assert account["capabilities"]["transfers"] == "active" and account["payouts_enabled"]
    assert account["requirements"]["currently_due"] == [DOCUMENT]
    assert account["requirements"]["past_due"] == []
    assert account["requirements"]["current_deadline"] == 1_900_000_000


def test_a_used_or_expired_link_sends_the_owner_to_the_refresh_url(sdk, stripe_server, new_account):
    account = new_account()
    used = onboarding_link(sdk, account.id)
    choose(used, "leave")
    expired = onboarding_link(sdk, account.id)
    stripe_server.advance_clock(301)

    for url in (used, expired):
        answer = requests.get(url, allow_redirects=False, timeout=5)
        assert answer.status_code == 302 and answer.headers["Location"] == REFRESH_URL
    assert requests.post(expired, data={"choice": "complete"}, allow_redirects=False,
                         timeout=5).headers["Location"] == REFRESH_URL
    assert not sdk.v1.accounts.retrieve(account.id).details_submitted


def test_a_link_for_an_unknown_account_is_refused(sdk):
    with pytest.raises(stripe.InvalidRequestError) as refused:
        onboarding_link(sdk, "acct_unknown")
    assert refused.value.http_status == 404 and refused.value.code == "resource_missing"


def test_login_links_open_the_express_dashboard_once_onboarded(sdk, stripe_server, new_account):
    account = new_account()
    with pytest.raises(stripe.InvalidRequestError):
        sdk.v1.accounts.login_links.create(account.id)
    stripe_server.complete_onboarding(account.id)
    sdk.v1.transfers.create(params={"amount": 12345, "currency": "eur", "destination": account.id,
                                    "transfer_group": "payout-7"})

    link = sdk.v1.accounts.login_links.create(account.id)
    page = requests.get(link.url, timeout=5)

    assert page.status_code == 200
    assert "Tableau de bord Express" in page.text and "123.45 EUR" in page.text and "payout-7" in page.text


def test_updating_an_account_merges_metadata_and_announces_what_changed(sdk, stripe_server, new_account):
    account = new_account(metadata={"alma_owner": "42", "note": "x"})

    updated = sdk.v1.accounts.update(account.id, params={"metadata": {"note": "", "siret": "123"}})

    assert updated.metadata.to_dict() == {"alma_owner": "42", "siret": "123"}
    event = stripe_server.events("account.updated")[0]
    assert event["account"] == account.id
    assert event["data"]["previous_attributes"]["metadata"] == {"alma_owner": "42", "note": "x"}


def test_unknown_parameters_are_refused_as_stripe_does(sdk):
    with pytest.raises(stripe.InvalidRequestError) as refused:
        sdk.v1.accounts.create(params={"type": "express", "colour": "blue"})
    assert refused.value.param == "colour"


def wait_for(collected: list, count: int, *, seconds: float = 10):
    deadline = time.monotonic() + seconds
    while len(collected) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return collected


def test_connect_events_reach_the_connect_endpoint_with_their_account_signed(httpserver, stripe_server, sdk,
                                                                              new_account):
    received = {"connect": [], "platform": []}

    def collect(kind: str, secret: str):
        def handler(request):
            event = stripe.Webhook.construct_event(request.get_data(), request.headers["Stripe-Signature"], secret)
            received[kind].append(json.loads(str(event)))
            return Response("ok")
        return handler

    httpserver.expect_request("/connect").respond_with_handler(collect("connect", "whsec_connect"))
    httpserver.expect_request("/platform").respond_with_handler(collect("platform", WEBHOOK_SECRET))
    stripe_server.send_webhooks_to(httpserver.url_for("/connect"), secret="whsec_connect", connect=True,
                                   name="connect")
    stripe_server.send_webhooks_to(httpserver.url_for("/platform"), connect=False)
    account = new_account()

    choose(onboarding_link(sdk, account.id), "complete")
    sdk.v1.transfers.create(params={"amount": 500, "currency": "eur", "destination": account.id})

    [updated] = wait_for(received["connect"], 1)
    assert (updated["type"], updated["account"]) == ("account.updated", account.id)
    assert updated["data"]["object"]["capabilities"]["transfers"] == "active"
    assert updated["data"]["previous_attributes"]["capabilities"] == {"transfers": "inactive"}
    [created] = wait_for(received["platform"], 1)
    assert created["type"] == "transfer.created" and "account" not in created
