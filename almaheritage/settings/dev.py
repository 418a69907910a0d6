"""Local development: `make run`. SQLite, filesystem broker, emails printed to the console."""
import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The local Stripe server started by `make run` (Procfile.dev "stripe", devtools/localstripe/, docs/local-stripe.md):
# dummy test keys, nothing leaves 127.0.0.1.
os.environ.setdefault("STRIPE_SECRET_KEY", "sk_test_alma_local_dev")
os.environ.setdefault("STRIPE_PUBLISHABLE_KEY", "pk_test_alma_local_dev")
os.environ.setdefault("STRIPE_WEBHOOK_SECRET", "whsec_alma_local_dev")
os.environ.setdefault("STRIPE_API_BASE", "http://127.0.0.1:8420")
os.environ.setdefault("STRIPE_JS_URL", "http://127.0.0.1:8420/js.stripe.com/v3/")

from .base import *  # noqa: E402,F403

INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]  # noqa: F405
