"""Production: secrets have no default and the process refuses to start without them, or
with a development setting left on."""
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_str
from .guards import is_loopback_url

SECRET_KEY = env_str("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("SECRET_KEY must be a random string of at least 50 characters.")
DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Load balancers probe over plain HTTP inside the network: a redirect would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "private": PRIVATE_STORAGE,  # noqa: F405 — on disk even with S3 media: never public (docs/reports.md)
}

# Payments cannot run on defaults: no key, no money (and no silent fallback to a test server).
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY")
STRIPE_PUBLISHABLE_KEY = env_str("STRIPE_PUBLISHABLE_KEY")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET")
# A loopback API base is the local Stripe server of development: real card payments would
# go nowhere (or to whatever listens there).
if is_loopback_url(STRIPE_API_BASE):
    raise ImproperlyConfigured(f"STRIPE_API_BASE is {STRIPE_API_BASE}, a loopback address: "
                               "production talks to Stripe itself.")

# The calendar fetcher's loopback exceptions exist for tests and the demo feed server only:
# in production a host's feed URL must never reach this machine (calsync/fetching.py).
if CALSYNC_ALLOW_LOOPBACK or CALSYNC_ALLOWED_LOCAL_URL_PREFIXES:
    raise ImproperlyConfigured("CALSYNC_ALLOW_LOOPBACK and CALSYNC_ALLOWED_LOCAL_URL_PREFIXES are for "
                               "development only: production fetches public addresses only.")

# One cache for every web process (search results, filter choices), when Redis is there.
CACHE_URL = env_str("CACHE_URL", env_str("REDIS_URL", ""))
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": CACHE_URL}}
    OWNER_AGGREGATES_CACHE_SECONDS = env_int("OWNER_AGGREGATES_CACHE_SECONDS", 86400)
else:  # each process its own memory: a change made in another (the photo worker) would not reach it
    PUBLIC_FRAGMENT_SECONDS = env_int("PUBLIC_FRAGMENT_SECONDS", 0)

# Media on S3-compatible object storage when a bucket is named (optional: django-storages from
# requirements/s3.txt; docs/operations.md#media-files). Otherwise MEDIA_ROOT on disk, a volume
# shared by the web processes and the workers.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME", "")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", "") or None,
        "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
        "access_key": env_str("AWS_ACCESS_KEY_ID", "") or None,
        "secret_key": env_str("AWS_SECRET_ACCESS_KEY", "") or None,
        "custom_domain": env_str("AWS_S3_CUSTOM_DOMAIN", "") or None,
        # Signed, expiring URLs unless the bucket is public behind a CDN (custom domain).
        "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", True),
        "default_acl": None,
        "file_overwrite": False,
    }}
