"""Local development: `make run`. SQLite, filesystem broker, emails printed to the console.

The Makefile passes PORT (the site, through SITE_URL), STRIPE_PORT (the local Stripe
server) and DEMO_FEEDS_PORT (the demo feed server); the defaults are 8000, 8420, 8421."""
import os

from .env import env_int, env_list

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("LOG_FORMAT", "text")  # a person reads `make run`'s console
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The local Stripe server started by `make run` (Procfile.dev "stripe", devtools/localstripe/, docs/local-stripe.md):
# dummy test keys, nothing leaves 127.0.0.1.
os.environ.setdefault("STRIPE_SECRET_KEY", "sk_test_alma_local_dev")
os.environ.setdefault("STRIPE_PUBLISHABLE_KEY", "pk_test_alma_local_dev")
os.environ.setdefault("STRIPE_WEBHOOK_SECRET", "whsec_alma_local_dev")
_stripe = f"http://127.0.0.1:{env_int('STRIPE_PORT', 8420)}"
os.environ.setdefault("STRIPE_API_BASE", _stripe)
os.environ.setdefault("STRIPE_JS_URL", f"{_stripe}/js.stripe.com/v3/")

from .base import *  # noqa: E402,F403

INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]
# Offer pages' fragments (public/fragments.py) need a cache shared by the site and the workers;
# `make run` has each process's own memory cache: off unless asked.
PUBLIC_FRAGMENT_SECONDS = env_int("PUBLIC_FRAGMENT_SECONDS", 0)
# The calendar fetcher refuses loopback (calsync/fetching.py); the demo feed server is the
# one local place it may read.
CALSYNC_ALLOWED_LOCAL_URL_PREFIXES = env_list("CALSYNC_ALLOWED_LOCAL_URL_PREFIXES",
                                              [f"{CALSYNC_DEMO_FEEDS_URL}/"])
