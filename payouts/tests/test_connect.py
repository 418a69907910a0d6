"""Mon compte > Stripe Connect against the local Stripe server: the account is created once
(France, transfers requested), the owner goes to Stripe's onboarding, the return page asks
Stripe again, `account.updated` keeps the state current, an expired link gives a fresh one."""
import html

import pytest
import requests
from django.urls import reverse

from payouts.models import ConnectedAccount, StripeEvent

from .conftest import event

pytestmark = pytest.mark.django_db


def page(client) -> str:
    return html.unescape(client.get(reverse("stripe_connect")).content.decode())


def start(client):
    return client.post(reverse("stripe_connect_start"))


def test_an_owner_without_account_is_told_and_offered_to_connect(owner_client):
    content = page(owner_client)
    assert "Non connecté" in content
    assert "Connecter mon compte Stripe" in content


def test_connecting_creates_one_french_account_with_transfers_and_sends_to_onboarding(
        owner_client, owner, stripe_server):
    first, second = start(owner_client), start(owner_client)  # a double click
    account = ConnectedAccount.objects.get(owner=owner)
    at_stripe = stripe_server.account(account.stripe_account_id)
    assert at_stripe["country"] == "FR"
    assert at_stripe["capabilities"]["transfers"] in ("inactive", "pending")
    assert first.status_code == second.status_code == 302
    assert first.url.startswith(f"{stripe_server.url}/connect/onboarding/")
    assert first.url != second.url  # each visit gets its own link
    assert "En attente : inscription à terminer" in page(owner_client)


def test_the_return_page_asks_stripe_instead_of_trusting_the_visit(owner_client, owner, stripe_server):
    start(owner_client)
    account = ConnectedAccount.objects.get(owner=owner)
    owner_client.get(reverse("stripe_connect_return"))  # left the onboarding without finishing
    assert "En attente" in page(owner_client)
    stripe_server.complete_onboarding(account.stripe_account_id)
    response = owner_client.get(reverse("stripe_connect_return"), follow=True)
    account.refresh_from_db()
    assert account.can_receive_transfers and account.payouts_enabled and account.details_submitted
    assert "Prêt" in response.content.decode()
    assert "Ouvrir mon tableau de bord Stripe" in response.content.decode()


def test_the_local_onboarding_page_leads_back_to_the_return_page(owner_client, owner, stripe_server):
    link = start(owner_client).url
    requests.get(link, timeout=5).raise_for_status()
    back = requests.post(link, data={"choice": "complete"}, allow_redirects=False, timeout=5)
    assert back.headers["Location"].endswith(reverse("stripe_connect_return"))
    owner_client.get(reverse("stripe_connect_return"))
    assert ConnectedAccount.objects.get(owner=owner).can_receive_transfers


def test_an_expired_link_sends_the_owner_through_a_fresh_one(owner_client, owner, stripe_server):
    link = start(owner_client).url
    stripe_server.advance_clock(600)  # account links last minutes
    expired = requests.get(link, allow_redirects=False, timeout=5)
    assert expired.headers["Location"].endswith(reverse("stripe_connect_refresh"))
    fresh = owner_client.get(reverse("stripe_connect_refresh"))
    assert fresh.status_code == 302 and fresh.url != link
    assert requests.get(fresh.url, timeout=5).status_code == 200


def test_account_updated_keeps_the_state_current_and_in_words(owner_client, owner, stripe_server, post_event):
    start(owner_client)
    account = ConnectedAccount.objects.get(owner=owner)
    stripe_server.complete_onboarding(account.stripe_account_id)
    assert post_event(event("account.updated", stripe_server.account(account.stripe_account_id),
                            event_id="evt_ready")).status_code == 200
    assert "Prêt" in page(owner_client)

    deadline = 1_893_456_000  # 1 January 2030
    stripe_server.require_document(account.stripe_account_id, deadline=deadline)
    post_event(event("account.updated", stripe_server.account(account.stripe_account_id), event_id="evt_doc"))
    account.refresh_from_db()
    assert account.requirements_due == ["individual.verification.document"]
    content = page(owner_client)
    assert "Une pièce d'identité" in content and "2030" in content

    stripe_server.require_document(account.stripe_account_id)  # now past due: transfers stop
    post_event(event("account.updated", stripe_server.account(account.stripe_account_id), event_id="evt_past"))
    account.refresh_from_db()
    assert not account.can_receive_transfers and account.disabled_reason == "requirements.past_due"
    assert "En attente : action requise" in page(owner_client)


def test_an_old_account_updated_arriving_late_does_not_bring_back_an_old_state(
        owner_client, owner, stripe_server, post_event):
    start(owner_client)
    account = ConnectedAccount.objects.get(owner=owner)
    old_copy = stripe_server.account(account.stripe_account_id)  # not onboarded yet
    stripe_server.complete_onboarding(account.stripe_account_id)
    post_event(event("account.updated", stripe_server.account(account.stripe_account_id), event_id="evt_new"))
    post_event(event("account.updated", old_copy, event_id="evt_old"))  # delivered out of order
    account.refresh_from_db()
    assert account.can_receive_transfers


def test_account_updated_for_an_unknown_account_is_ignored(post_event, stripe_server):
    response = post_event(event("account.updated", {"id": "acct_not_ours", "object": "account"}))
    assert response.status_code == 200
    assert not ConnectedAccount.objects.exists()
    assert StripeEvent.objects.get().processed_at is not None


def test_the_connect_signing_secret_is_accepted_too(post_event, settings, stripe_server):
    settings.STRIPE_CONNECT_WEBHOOK_SECRET = "whsec_connect_endpoint"  # noqa: S105
    accepted = post_event(event("account.updated", {"id": "acct_x"}), secret="whsec_connect_endpoint")
    refused = post_event(event("account.updated", {"id": "acct_y"}), secret="whsec_forged")
    assert (accepted.status_code, refused.status_code) == (200, 400)


def test_the_express_dashboard_opens_once_onboarded(owner_client, owner, stripe_server):
    start(owner_client)
    account = ConnectedAccount.objects.get(owner=owner)
    stripe_server.complete_onboarding(account.stripe_account_id)
    owner_client.get(reverse("stripe_connect_return"))
    response = owner_client.post(reverse("stripe_express_dashboard"))
    assert response.status_code == 302 and response.url.startswith(f"{stripe_server.url}/connect/express/")


def test_stripe_down_is_a_message_not_an_error(owner_client, owner, stripe_server):
    stripe_server.fail_next("/v1/accounts", count=5)
    response = start(owner_client)
    assert response.status_code == 302 and response.url == reverse("stripe_connect")
    assert "Stripe ne répond pas" in page(owner_client)
    assert not ConnectedAccount.objects.exists()


def test_travellers_are_sent_to_become_owners(client, traveller):
    client.force_login(traveller)
    assert client.get(reverse("stripe_connect")).url == reverse("become_owner")
    assert client.post(reverse("stripe_connect_start")).url == reverse("become_owner")
