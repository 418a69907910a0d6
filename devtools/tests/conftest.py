"""The local Stripe server (devtools/testing.py), emptied before each test, and the stripe-python
client configured as payouts/stripe_adapter.py configures it, pointed at the server."""
import pytest
import stripe

from devtools.testing import SECRET_KEY


def sdk_client(url: str, *, retries: int = 0, read_timeout: float = 20) -> stripe.StripeClient:
    return stripe.StripeClient(SECRET_KEY, base_addresses={"api": url},
                               http_client=stripe.RequestsClient(timeout=(5, read_timeout)),
                               max_network_retries=retries)


@pytest.fixture
def sdk(stripe_server) -> stripe.StripeClient:
    """The SDK without automatic retries: each test says when it retries."""
    return sdk_client(stripe_server.url)


@pytest.fixture
def new_account(sdk):
    def create(**extra) -> stripe.Account:
        params = {"type": "express", "country": "FR", "email": "helene@example.fr",
                  "capabilities": {"transfers": {"requested": True}}, **extra}
        return sdk.v1.accounts.create(params=params)

    return create


@pytest.fixture
def ready_account(new_account, stripe_server) -> str:
    account = new_account()
    stripe_server.complete_onboarding(account.id)
    return account.id
