"""The README's screenshots, taken by the browser suite so they stay current: every run takes
them from pages built here (drawn photos, a booking, the owner's lists) into var/screenshots/,
untracked, to look at; `make screenshots` (UPDATE_SCREENSHOTS=1) writes them over the README's
docs/screenshots/*.png, so an ordinary test run leaves the checkout clean."""
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from bookings.tests.dashboard_factories import make_booking
from conftest import PASSWORD
from domains.demo_pictures import demo_picture
from domains.photos import add_photo

from .factories import listed_unit, make_domain

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(settings.BASE_DIR) / ("docs" if os.environ.get("UPDATE_SCREENSHOTS") else "var") / "screenshots"


def test_the_readmes_screenshots_are_taken_from_the_running_site(live_server, page, owner, traveller):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    domain = make_domain(owner, name="Château de Montrésor", heritage_kind="chateau",
                         history="Forteresse dominant l'Indrois, remaniée à la Renaissance.")
    add_photo(offer=domain, upload=demo_picture((160, 82, 45), domain.name, kind="chateau"), caption=domain.name)
    unit = listed_unit(owner, domain=domain, title="La Tour du Guet", price="140")
    add_photo(offer=unit.lodging, upload=demo_picture((150, 120, 150), "La Tour du Guet", kind="room"),
              caption="La Tour du Guet")
    booking = make_booking(traveller=traveller, unit=unit, arrival="2030-05-10", departure="2030-05-13")
    shots = {}

    page.set_viewport_size({"width": 1280, "height": 800})
    for name, path in [("home", reverse("home")), ("domain", reverse("domain_detail", args=[domain.slug])),
                       ("lodging", reverse("lodging_detail", args=[unit.lodging.slug]))]:
        page.goto(live_server.url + path)
        shots[name] = page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))

    page.goto(live_server.url + "/fr/comptes/login/")
    page.get_by_label("Courriel").fill(owner.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(live_server.url + reverse("dashboard_bookings"))
    shots["owner-bookings"] = page.screenshot(path=str(SCREENSHOTS / "owner-bookings.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + reverse("dashboard_booking", args=[booking.reference]))
    shots["owner-booking-phone"] = page.screenshot(path=str(SCREENSHOTS / "owner-booking-phone.png"))

    for name, image in shots.items():
        assert image[:8] == b"\x89PNG\r\n\x1a\n" and len(image) > 10_000, name  # a real page, not a blank
