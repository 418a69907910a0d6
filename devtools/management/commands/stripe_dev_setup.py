"""Point an already running local Stripe server's webhooks at this site (`run_localstripe`
does it by itself at start-up; this is for a server started by hand)."""
import time

import requests
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse


class Command(BaseCommand):
    help = "Register this site's webhook on the local Stripe server (retries until it answers)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--wait", type=float, default=30, help="seconds to wait for the server")

    def handle(self, *args, **options) -> None:
        url = settings.SITE_URL + reverse("stripe_webhook")
        deadline = time.monotonic() + options["wait"]
        while True:
            try:
                response = requests.post(f"{settings.STRIPE_API_BASE}/_config/webhooks/alma",
                                         data={"url": url, "secret": settings.STRIPE_WEBHOOK_SECRET}, timeout=5)
                response.raise_for_status()
                break
            except requests.RequestException as error:
                if time.monotonic() > deadline:
                    raise CommandError(f"local Stripe server unreachable: {error}") from error
                time.sleep(1)
        self.stdout.write(f"webhooks of {settings.STRIPE_API_BASE} go to {url}")
