"""Project-wide fixtures: named actors, one set of published offers, the browser, the
accessibility engine."""
import os
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.conf import settings
from django.utils import translation

from accounts.models import OwnerProfile, User
from devtools.testing import StripeServer, local_stripe_server, point_settings_at
from domains.models import Domain
from domains.moderation import OfferStatus
from experiences.models import Experience, Session
from lodgings.models import Lodging, Unit

# The `corpus` marker: skipped without the shared calendar corpus, a failure on CI when the
# corpus is there but a corpus test skipped (calsync/tests/corpus.py). pytester tests it.
pytest_plugins = ["pytester", "calsync.tests.corpus"]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
PASSWORD = "Un-mot-de-passe-solide-42"  # noqa: S105
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"  # noqa: S105 — every test authenticator app's
AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"


def make_user(email: str, *, owner: bool = False, **extra) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if owner:
        OwnerProfile.objects.create(user=user, address_line1="1 allée du Château", postal_code="37000", city="Tours")
    return user


def activate_totp(user: User, secret: str = TOTP_SECRET) -> User:
    """The user's authenticator app, as after "Mon compte > Double authentification"."""
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return user


def totp_code(secret: str = TOTP_SECRET, *, offset: int = 0) -> str:
    """The code the authenticator app shows now (offset: periods later or earlier)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


@pytest.fixture(autouse=True)
def _french_unless_told():
    """Each test starts in French, whatever language the previous test's last request
    activated: reverse() gives /fr/ addresses unless the test asks for another language."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def owner(db) -> User:
    return make_user("helene@example.fr", owner=True, first_name="Hélène", last_name="Duval", phone="+33612345678")


@pytest.fixture
def other_owner(db) -> User:
    return make_user("armand@example.fr", owner=True, first_name="Armand", last_name="Castel")


@pytest.fixture
def traveller(db) -> User:
    return make_user("lucie@example.fr", first_name="Lucie", last_name="Bernard")


@pytest.fixture
def staff(db) -> User:
    """A superuser whose authenticator app is set up, as the admin demands (accounts/middleware.py)."""
    return activate_totp(make_user("equipe@example.fr", is_staff=True, is_superuser=True))


@pytest.fixture
def admin_user(admin_user) -> User:
    """pytest-django's superuser (behind `admin_client`), with the authenticator app the admin demands."""
    return activate_totp(admin_user)


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


# --- Published offers of `owner` ------------------------------------------------------------
# One set for every app's tests; an app whose tests need other terms overrides one fixture
# (e.g. calsync/tests/conftest.py `lodging`, payouts/tests/conftest.py `session`).

@pytest.fixture
def domain(owner) -> Domain:
    return Domain.objects.create(owner=owner, name="Prieuré de Saint-Cosme", slug="saint-cosme",
                                 heritage_kind="prieure", commune="La Riche", status=OfferStatus.PUBLISHED)


@pytest.fixture
def lodging(domain) -> Lodging:
    """A gîte booked on request: 2 to 14 nights, one day's notice, 40 € cleaning, 100 % refund
    until 14 days before arrival and 50 % after."""
    return Lodging.objects.create(domain=domain, kind="gite", title="Le Logis du Prieur", slug="logis-du-prieur",
                                  status=OfferStatus.PUBLISHED, cleaning_fee=Decimal("40.00"), min_nights=2,
                                  max_nights=14, advance_notice_days=1, booking_mode="request",
                                  full_refund_days=14, late_refund_percent=50)


@pytest.fixture
def unit(lodging) -> Unit:
    return Unit.objects.create(lodging=lodging, name="Le Logis", nightly_price=Decimal("120.00"),
                               adults_capacity=4, children_capacity=2)


@pytest.fixture
def instant_unit(unit) -> Unit:
    unit.lodging.booking_mode = "instant"
    unit.lodging.save()
    return unit


@pytest.fixture
def experience(domain) -> Experience:
    return Experience.objects.create(domain=domain, title="Atelier vitrail", slug="atelier-vitrail",
                                     category="workshop", capacity=10, price_per_person=Decimal("45.00"),
                                     child_price=Decimal("20.00"), booking_mode="instant",
                                     full_refund_hours=48, late_refund_percent=0, status=OfferStatus.PUBLISHED)


@pytest.fixture
def session(experience) -> Session:
    # Saturday 12 June 2027, 15:00 in Paris (13:00 UTC).
    return Session.objects.create(experience=experience, start=datetime(2027, 6, 12, 13, 0, tzinfo=UTC),
                                  end=datetime(2027, 6, 12, 15, 0, tzinfo=UTC), capacity=10)


# --- The local Stripe server (devtools/testing.py): one per test session (per xdist worker),
# emptied before each test that asks for it; settings point at it.

@pytest.fixture(scope="session")
def localstripe_url():
    with local_stripe_server() as url:
        yield url


@pytest.fixture
def stripe_server(localstripe_url, settings) -> StripeServer:
    server = StripeServer(localstripe_url)
    server.reset()
    point_settings_at(settings, localstripe_url)
    return server



# --- Browser (Playwright driving Debian's Chromium, see docs/development.md#test) -------

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"],
    }


@pytest.fixture
def axe_check():
    """Run axe-core in the page and fail on any serious or critical violation."""

    def check(page, *, context: str = "") -> None:
        # Evaluated through the DevTools protocol, which the page's CSP does not govern (an
        # injected <script> would be refused, almaheritage/settings/base.py CONTENT_SECURITY_POLICY).
        page.evaluate(AXE_JS.read_text())
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        details = [f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}" for v in bad]
        assert not bad, f"accessibility violations on {context or page.url}:\n" + "\n".join(details)

    return check


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A French visitor: LocaleMiddleware follows Accept-Language, and French comes first.
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


# Every page a browser test opens must load under the Content-Security-Policy: the browser
# reports each refusal as a `securitypolicyviolation` event, turned into a console error here.
CSP_LISTENER = """document.addEventListener('securitypolicyviolation', (event) => {
  console.error(`CSP violation: ${event.violatedDirective} refused ${event.blockedURI || 'inline'}`
                + ` at ${event.sourceFile || document.location.href}:${event.lineNumber}`);
}, true);"""


@pytest.fixture
def page(page):
    """pytest-playwright's page, failing the test on any CSP violation it met;
    `page.csp_violations` lists them so far, for a test that checks page by page."""
    seen: list[str] = []
    page.on("console", lambda message: seen.append(f"{message.text} (on {page.url})")
            if message.text.startswith("CSP violation") else None)
    page.add_init_script(CSP_LISTENER)
    page.csp_violations = seen
    yield page
    assert not seen, "Content-Security-Policy violations:\n" + "\n".join(seen)
