"""Project-wide fixtures: named actors, the browser, the accessibility engine."""
import os
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress

from accounts.models import OwnerProfile, User

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
PASSWORD = "Un-mot-de-passe-solide-42"  # noqa: S105
AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"


def make_user(email: str, *, owner: bool = False, **extra) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    if owner:
        OwnerProfile.objects.create(user=user, address_line1="1 allée du Château", postal_code="37000", city="Tours")
    return user


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
    return make_user("equipe@example.fr", is_staff=True, is_superuser=True)


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


# --- Browser (Playwright driving Debian's Chromium, see TESTING.md) ---------------------

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
        page.add_script_tag(content=AXE_JS.read_text())
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        details = [f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}" for v in bad]
        assert not bad, f"accessibility violations on {context or page.url}:\n" + "\n".join(details)

    return check


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A French visitor: LocaleMiddleware follows Accept-Language, and French comes first.
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}
