"""Every main page loads in Chromium under the production Content-Security-Policy with no
violation: no inline script or style attribute, Stripe.js from STRIPE_JS_URL, map tiles from
MAP_TILES_URL (another origin here: `localhost` instead of 127.0.0.1), the admin. The `page`
fixture (conftest.py) turns each `securitypolicyviolation` into a failure."""
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from bookings import services as bookings
from conftest import activate_totp
from public.tests.factories import listed_unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def visit(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    assert not page.csp_violations, "\n".join(page.csp_violations)


def test_every_main_page_loads_without_a_csp_violation(live_server, page, settings, stripe_server, owner,
                                                      traveller, domain, lodging, unit, experience, session):
    tiles_host = live_server.url.replace("127.0.0.1", "localhost")
    settings.MAP_TILES_URL = tiles_host + "/static/img/photo-pending.svg?{z}/{x}/{y}"
    listed_unit(owner)  # on the results map of its region
    now = timezone.now()
    arrival = timezone.localdate() + timezone.timedelta(days=30)
    booking = bookings.request_stay(traveller=traveller, unit=unit, arrival=arrival,
                                    departure=arrival + timezone.timedelta(days=3), adults=2, children=0, now=now)
    bookings.accept(booking=booking, by=owner, now=now)
    base = live_server.url

    response = page.request.get(base + "/")
    policy = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy and "localhost" in policy and stripe_server.url in policy

    for url in ("/", reverse("search") + "?lieu=", reverse("domain_detail", args=[domain.slug]),
                reverse("lodging_detail", args=[lodging.slug]),
                reverse("experience_detail", args=[experience.slug]), reverse("account_login"),
                reverse("contact")):
        visit(page, base + url)
    visit(page, base + reverse("search") + "?region=centre-val-de-loire")
    expect(page.locator("img.leaflet-tile-loaded").first).to_be_attached()  # tiles from the other origin

    log_in(page, live_server, traveller)
    visit(page, base + reverse("booking_start", args=[unit.pk]))
    visit(page, base + reverse("trips"))
    visit(page, base + reverse("payment_page", args=[booking.reference]))
    expect(page.get_by_role("button", name="Payer 400,00 €")).to_be_enabled()  # Stripe.js ran, card mounted
    assert not page.csp_violations

    log_in(page, live_server, owner)
    for name in ("dashboard", "dashboard_domains", "dashboard_bookings", "dashboard_clients",
                 "dashboard_payments", "dashboard_reviews", "account_details"):
        visit(page, base + reverse(name))
    for step in ("infos", "adresse", "labels", "photos", "soumettre"):
        visit(page, base + reverse("domain_wizard", args=[domain.pk, step]))
    for step in ("description", "chambres", "prix", "equipements", "option", "photos"):
        visit(page, base + reverse("lodging_wizard", args=[lodging.pk, step]))
    for step in ("description", "periode", "prix", "conditions", "photos"):
        visit(page, base + reverse("experience_wizard", args=[experience.pk, step]))
    visit(page, base + reverse("calsync_unit_feeds", args=[unit.pk]))
    visit(page, base + reverse("calsync_domain", args=[domain.pk]))

    page.context.clear_cookies()
    visit(page, base + reverse("admin:login"))
    staff = activate_totp(get_user_model().objects.create_superuser(email="csp@example.org", password="x-Secret-123"))
    log_in(page, live_server, staff)
    for url in (reverse("admin:index"), reverse("admin:domains_domain_changelist"),
                reverse("admin:domains_domain_change", args=[domain.pk]),
                reverse("admin:domains_moderationqueue_changelist")):
        visit(page, base + url)


def test_the_policy_is_enforced_and_a_violation_fails_the_test(live_server, page):
    page.goto(live_server.url + "/")
    page.evaluate("""() => {
      document.body.insertAdjacentHTML('beforeend', '<p id="styled" style="color: red">x</p>');
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.body.append(script);
    }""")
    expect(page.locator("#styled")).to_be_attached()
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.injected") is None  # the inline script never ran
    assert page.evaluate("() => getComputedStyle(document.getElementById('styled')).color") != "rgb(255, 0, 0)"
    directives = sorted(message.split()[2] for message in page.csp_violations)
    assert directives == ["script-src-elem", "style-src-attr"], page.csp_violations
    page.csp_violations.clear()  # seen and expected: the fixture's final check passes
