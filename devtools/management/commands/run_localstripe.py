"""`make run`'s local Stripe server (Procfile.dev): devtools/localstripe on 127.0.0.1, at the
port of STRIPE_API_BASE, delivering signed webhooks to this site's /stripe/webhook/
(docs/local-stripe.md)."""
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from devtools.localstripe import server


class Command(BaseCommand):
    help = "Run the local Stripe server of development, its webhook pointed at this site."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--data-file", default=str(settings.VAR_DIR / "localstripe.pickle"))
        parser.add_argument("--connect-webhook-url", default="",
                            help="a Connect endpoint of its own (then the site's webhook gets platform events only)")
        parser.add_argument("--connect-webhook-secret", default="")

    def handle(self, *args, **options) -> None:
        base = urlsplit(settings.STRIPE_API_BASE)
        if base.hostname not in ("127.0.0.1", "localhost"):
            raise CommandError(f"STRIPE_API_BASE is {settings.STRIPE_API_BASE}: not a local server.")
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        server.main([
            "--port", str(base.port or 80), "--data-file", options["data_file"],
            "--webhook-url", settings.SITE_URL + reverse("stripe_webhook"),
            "--webhook-secret", settings.STRIPE_WEBHOOK_SECRET,
            "--connect-webhook-url", options["connect_webhook_url"],
            "--connect-webhook-secret", options["connect_webhook_secret"],
        ])
