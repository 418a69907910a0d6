"""Test settings: the same code paths as production, with fast hashing and in-memory mail.
DATABASE_URL picks SQLite (default) or PostgreSQL (CI)."""
import os
import tempfile

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = False
SECRET_KEY = "test-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="alma-test-media-")
PRIVACY_EXPORT_ROOT = tempfile.mkdtemp(prefix="alma-test-privacy-")
SERVE_MEDIA = True
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
WHITENOISE_AUTOREFRESH = True
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="alma-test-private-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": "/no-public-url/"}},
}
ACCOUNT_RATE_LIMITS = False
# The contact form's limit and minimum fill time, like the login limits: on in their own tests.
CONTACT_RATE_LIMIT = None
CONTACT_MIN_FILL_SECONDS = None
VAR_DIR = VAR_DIR / f"test-{os.getpid()}"
INSTALLED_APPS = [*INSTALLED_APPS, "devtools"]  # noqa: F405
# The whole-page search cache is bumped after commits, which a test's transaction never makes:
# off, except in its own tests (public/tests/test_page_cache.py).
SEARCH_PAGE_CACHE_SECONDS = 0
# Offer pages' fragments: off, so every page test (and query count) measures the page as
# rendered; public/tests/test_fragments.py turns them on.
PUBLIC_FRAGMENT_SECONDS = 0
