"""Settings shared by every environment. Everything that differs between machines comes
from the environment through `env.py`."""
from decimal import Decimal
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from core.schedules import ParisCrontab

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("ALMA_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "core",
    "accounts",
    "domains",
    "lodgings",
    "experiences",
    "touristtax",
    "bookings",
    "payouts",
    "invoices",
    "donations",
    "vouchers",
    "calsync",
    "reviews",
    "reports",  # owners' reports on travellers, the staff queue (docs/reports.md)
    "exports",
    "geo",  # communes, départements, regions from the official data; the offline map (docs/search.md)
    "public",
    "helpcentre",  # the help pages and the "?" links (docs/help.md)
    "privacy",  # "Mes données": the personal-data export and account deletion (docs/privacy.md)
    "operations",  # health endpoints, the record of periodic jobs (docs/operations.md)
    "demo_data",  # seed_demo: the top of the graph, nothing imports it
]

MIDDLEWARE = [
    "core.middleware.RequestIdMiddleware",  # first: times everything, ids every log line (core/logs.py)
    "django.middleware.security.SecurityMiddleware",
    "core.content_security.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # An anonymous repeated search served whole, before the middleware that would only find
    # it has no session, no user and no messages (public/pagecache.py).
    "public.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LocaleMiddleware",  # the /fr/ or /en/ prefix; old addresses redirect permanently
    "django.middleware.common.CommonMiddleware",
    "core.middleware.RejectNulBytesMiddleware",  # before any view reads a raw GET/POST value
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",  # no admin page for staff without TOTP (docs/security.md)
]

ROOT_URLCONF = "almaheritage.urls"
WSGI_APPLICATION = "almaheritage.wsgi.application"
FORM_RENDERER = "core.forms.FormRenderer"

_CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.template.context_processors.i18n",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "core.context_processors.site",
    "core.context_processors.languages",
    "csp.context_processors.nonce",
]
# Filters every template writes with, without a {% load %}: dates (core/templatetags/longdate.py).
_BUILTINS = ["core.templatetags.longdate"]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": _CONTEXT_PROCESSORS, "builtins": _BUILTINS},
    },
    # Plain-text emails and subjects (core.mail.render_text): the same templates, never
    # HTML-escaped, so "plume d'oie" stays "plume d'oie" and not "plume d&#x27;oie".
    {
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": _CONTEXT_PROCESSORS, "builtins": _BUILTINS, "autoescape": False},
    },
]


def database_from_url(url: str) -> dict:
    """PostgreSQL (production, CI) or SQLite (zero-setup default). On SQLite, IMMEDIATE
    transactions serialise writers so availability checks and inserts cannot interleave."""
    config = dj_database_url.parse(url, conn_max_age=0)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    else:
        # Persistent connections roughly double throughput (docs/development.md#measure).
        config["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60)
        config["CONN_HEALTH_CHECKS"] = True
        # core/compiledsql.py's queries as prepared statements: planned once per connection, not
        # on every request (the bookings list's join cost ~1-3 ms of planning a page). Only their
        # server-binding cursors prepare; the ORM's client-side cursors never do. 0 = off, for a
        # pooler in transaction mode that cannot keep prepared statements (docs/operations.md).
        if env_bool("DB_PREPARED_STATEMENTS", True):
            config.setdefault("OPTIONS", {})["prepare_threshold"] = 0
            # Planned once: left to choose, PostgreSQL kept planning some of them again on every
            # run (a custom plan for each: 1.1 ms of planning for 0.3 of execution, the bookings
            # list's « à venir » page), their generic plan's estimate being above the custom
            # plans'. Only prepared statements are concerned: the ORM's are never prepared.
            # DB_GENERIC_PLANS=0 behind a pooler refusing the `options` startup parameter (then
            # ALTER ROLE … SET plan_cache_mode, docs/operations.md).
            if env_bool("DB_GENERIC_PLANS", True):
                config["OPTIONS"]["options"] = "-c plan_cache_mode=force_generic_plan"
    return config


DATABASES = {"default": database_from_url(env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's, reading the signed-in user with SQL compiled once (accounts/auth_backends.py).
AUTHENTICATION_BACKENDS = [
    "accounts.auth_backends.ModelBackend",
    "accounts.auth_backends.AuthenticationBackend",
]
SESSION_ENGINE = "core.sessions"  # Django's database sessions, read with SQL compiled once
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
# Names, not paths: reversed in the page's language (/fr/ or /en/), no redirect through "/".
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

# django-allauth: the email address is the login.
SITE_ID = 1
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupExtraForm"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Alma Heritage] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# Failed logins: 10 a minute per address, and 5 per 5 minutes per (address, account) — the key
# includes the address (accounts/adapter.py) so nobody can lock a chosen person out everywhere.
# The admin login counts in the same limits (accounts/views.py, admin_login).
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
# Two-factor (allauth.mfa): an authenticator app with recovery codes, for every account, required
# for staff (docs/security.md). One step of tolerance forgives a phone's clock 30 s off.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Alma Heritage"
MFA_TOTP_TOLERANCE = 1
# How many reverse proxies of ours stand in front of Django (core/clientip.py): 0 = none, the
# client is REMOTE_ADDR; 1 = one (nginx, a load balancer) appending to X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# The contact form: messages per address and per session in CONTACT_RATE_PERIOD seconds, and
# the least time a person takes to fill it (public/forms.py).
CONTACT_RATE_LIMIT = 5
CONTACT_RATE_PERIOD = 600
CONTACT_MIN_FILL_SECONDS = 3

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Front-end packages come from npm (node_modules), never from a CDN: the site works offline.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS += [("vendor/leaflet", NODE_MODULES / "leaflet" / "dist")]
# The index of communes, départements and regions and the map's outlines, built from
# node_modules on first use or by `manage.py build_places` (the production image): geo/build.py.
GEO_INDEX_FILE = BASE_DIR / "var" / "geo" / "places.json"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)
# Files only staff may see (the photos of traveller reports): never under MEDIA_ROOT, which the
# web server serves to anyone; read through permission-checked views (docs/reports.md).
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
PRIVATE_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage",
                   "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": "/no-public-url/"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": PRIVATE_STORAGE,
}

# Content-Security-Policy (django-csp 4): no inline script or style attribute in our pages,
# scripts and styles from our own static files. A script that must stay inline carries
# nonce="{{ CSP_NONCE }}". core/content_security.py adds the origins STRIPE_JS_URL, STRIPE_API_BASE and
# MAP_TILES_URL name. Emails and the PDF export are not served pages: they keep inline styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [SELF],
    },
}

# Uploads: what an image may weigh and measure before we even decode it. Pages show 1600 px
# at most (domains/models.py PHOTO_SIZES); 25 MP is a 24 MP camera's full frame, and bounds
# what one decode may cost a worker (~100 MB, core/images.py).
IMAGE_UPLOAD_MAX_BYTES = env_int("IMAGE_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
IMAGE_UPLOAD_MAX_PIXELS = env_int("IMAGE_UPLOAD_MAX_PIXELS", 25_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds a page waits on the mail server before leaving the email to the retry job (core/mail.py).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Alma Heritage <bonjour@almaheritage.com>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Staff inboxes named in the owner FAQ; contact subjects and alerts are routed to them.
STAFF_INBOX_OWNERS = env_str("STAFF_INBOX_OWNERS", "proprietaire@almaheritage.com")
STAFF_INBOX_BOOKINGS = env_str("STAFF_INBOX_BOOKINGS", "reservation@almaheritage.com")
STAFF_INBOX_REVIEWS = env_str("STAFF_INBOX_REVIEWS", "avis@almaheritage.com")
STAFF_INBOX_REPORTS = env_str("STAFF_INBOX_REPORTS", "signalement@almaheritage.com")

# Celery: the filesystem transport needs no server (zero-setup default); Redis in CI/prod.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", env_str("REDIS_URL", "filesystem://"))
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    _processed_dir = VAR_DIR / "celery" / "processed"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(_processed_dir),
        # Broadcast (pidbox) tables; kombu's default is ./control, beside the sources.
        "control_folder": str(VAR_DIR / "celery" / "control"),
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Queues (docs/calendar-sync.md#workers-and-queues): owners' feed servers are slow on purpose
# or by accident, so calendar sync has a queue and a worker of its own and can never delay a
# booking timer, an email, an export or a refund. A worker started without -Q consumes all of
# them (tests, a one-process setup); Procfile.dev starts one worker per side.
CELERY_TASK_QUEUES = [Queue(name) for name in ("calsync", "bookings", "emails", "exports", "payouts")]
CELERY_TASK_DEFAULT_QUEUE = "bookings"  # a task nobody routed still runs beside the timers
CELERY_TASK_ROUTES = {
    "calsync.*": {"queue": "calsync"},
    "*.emails.*": {"queue": "emails"},
    "*mail*": {"queue": "emails"},
    "bookings.*": {"queue": "bookings"},
    "experiences.*": {"queue": "bookings"},
    "exports.*": {"queue": "exports"},
    "privacy.*": {"queue": "exports"},  # « Mes données » ZIPs are exports too
    "payouts.*": {"queue": "payouts"},
}
# Every task has a soft limit (SoftTimeLimitExceeded, its chance to stop cleanly) and a hard
# one (the worker process is killed and replaced), so none can hold a worker slot for ever.
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 150
CELERY_TASK_ANNOTATIONS = {
    # Long exports (PDF costs ~15 ms a row) get more time than the default.
    "exports.tasks.run_export": {"soft_time_limit": 900, "time_limit": 960},
    "privacy.tasks.build_data_export": {"soft_time_limit": 900, "time_limit": 960},
}

# Business rules that are settings (docs/product.md#money).
COMMISSION_RATE_LODGING = Decimal(env_str("COMMISSION_RATE_LODGING", "0.13"))
COMMISSION_RATE_EXPERIENCE = Decimal(env_str("COMMISSION_RATE_EXPERIENCE", "0.15"))
DONATION_SHARE_OF_BOOKING = Decimal(env_str("DONATION_SHARE_OF_BOOKING", "0.01"))
# The commission is TTC; its invoices show HT and this VAT rate (invoices.vat, docs/invoices.md).
COMMISSION_VAT_RATE = Decimal(env_str("COMMISSION_VAT_RATE", "0.20"))
# The seller printed on commission invoices (French mentions, docs/invoices.md). The defaults
# are a demo company (a well-formed but unregistered SIRET): production sets the real ones.
INVOICE_SELLER_NAME = env_str("INVOICE_SELLER_NAME", "Alma Heritage")
INVOICE_SELLER_LEGAL_FORM = env_str("INVOICE_SELLER_LEGAL_FORM", "SAS au capital de 10 000 €")
INVOICE_SELLER_ADDRESS = env_str("INVOICE_SELLER_ADDRESS", "12 rue des Archives, 75004 Paris, France")
INVOICE_SELLER_SIRET = env_str("INVOICE_SELLER_SIRET", "912 345 600 00015")
INVOICE_SELLER_RCS = env_str("INVOICE_SELLER_RCS", "RCS Paris 912 345 600")
INVOICE_SELLER_VAT_NUMBER = env_str("INVOICE_SELLER_VAT_NUMBER", "FR34912345600")
# Invoices and credit notes share one continuous sequence: AH-2026-000123 (invoices.numbering).
INVOICE_NUMBER_PREFIX = env_str("INVOICE_NUMBER_PREFIX", "AH")
# Gift vouchers (docs/vouchers.md): amounts in whole euros, codes hashed with this key.
VOUCHER_PRESET_AMOUNTS = [int(x) for x in env_list("VOUCHER_PRESET_AMOUNTS", ["50", "100", "150", "250"])]
VOUCHER_MIN_AMOUNT = env_int("VOUCHER_MIN_AMOUNT", 20)
VOUCHER_MAX_AMOUNT = env_int("VOUCHER_MAX_AMOUNT", 1500)
VOUCHER_VALIDITY_DAYS = env_int("VOUCHER_VALIDITY_DAYS", 365)
VOUCHER_RESTORE_MIN_DAYS = env_int("VOUCHER_RESTORE_MIN_DAYS", 30)  # a restored balance stays usable this long
VOUCHER_CODE_KEY = env_str("VOUCHER_CODE_KEY", "") or f"voucher-code:{SECRET_KEY}"
VOUCHER_CODE_ATTEMPTS_PER_HOUR = env_int("VOUCHER_CODE_ATTEMPTS_PER_HOUR", 10)  # per session and per IP
# Booking timers (docs/product.md#booking).
BOOKING_RESPONSE_DAYS = env_int("BOOKING_RESPONSE_DAYS", 3)
BOOKING_PAYMENT_HOURS = env_int("BOOKING_PAYMENT_HOURS", 48)
BOOKING_CHECKOUT_HOLD_MINUTES = env_int("BOOKING_CHECKOUT_HOLD_MINUTES", 30)
BOOKING_REMINDER_HOURS = env_int("BOOKING_REMINDER_HOURS", 24)
MODERATION_DELAY_BUSINESS_DAYS = 2
# Owner exports: longer lists are written by a worker (exports app); files kept this many days.
EXPORT_SYNC_MAX_ROWS = env_int("EXPORT_SYNC_MAX_ROWS", 2000)
EXPORT_SYNC_MAX_ROWS_PDF = env_int("EXPORT_SYNC_MAX_ROWS_PDF", 200)  # PDF layout is ~15 ms a row
# A longer PDF comes as a ZIP of documents of this many rows: WeasyPrint holds a whole
# document's layout (~0.18 MiB a row), so this bounds the worker's memory (docs/performance.md).
EXPORT_PDF_ROWS_PER_FILE = env_int("EXPORT_PDF_ROWS_PER_FILE", 500)
# Beyond this, PDF is not offered (hours of layout nobody prints): the owner is pointed at CSV or Excel.
EXPORT_PDF_MAX_ROWS = env_int("EXPORT_PDF_MAX_ROWS", 20000)
EXPORT_RETENTION_DAYS = env_int("EXPORT_RETENTION_DAYS", 7)
# "Mes données" ZIP files: outside MEDIA_ROOT (never served as media, only by the owner's
# download view), shared by web and workers; a link lives PRIVACY_EXPORT_HOURS (docs/privacy.md).
PRIVACY_EXPORT_ROOT = Path(env_str("PRIVACY_EXPORT_ROOT", str(VAR_DIR / "privacy-exports")))
PRIVACY_EXPORT_HOURS = 24

STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = env_str("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET", "")
# A Connect webhook endpoint (events of connected accounts) has its own signing secret at
# Stripe; it may point at the same URL, which then accepts either secret.
STRIPE_CONNECT_WEBHOOK_SECRET = env_str("STRIPE_CONNECT_WEBHOOK_SECRET", "")
STRIPE_API_BASE = env_str("STRIPE_API_BASE", "https://api.stripe.com")
STRIPE_JS_URL = env_str("STRIPE_JS_URL", "https://js.stripe.com/v3/")

# /readyz (operations/health.py): seconds each dependency check may take.
HEALTH_CHECK_TIMEOUT = 2.0

# One JSON object a line for web and workers, with the request id and user id, secrets and
# email addresses masked (core/logs.py, docs/operations.md#logs); "text" for a person reading.
LOG_FORMAT = env_str("LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "core.logs.ContextFilter"}, "mask": {"()": "core.logs.MaskingFilter"}},
    "formatters": {
        "json": {"()": "core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT,
                             "filters": ["context", "mask"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
# Celery workers log through LOGGING above instead of installing their own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Optional error reports to Sentry (sentry-sdk): no personal data, emails and secrets masked
# (core.logs.scrub_event). Empty: nothing is sent anywhere.
SENTRY_DSN = env_str("SENTRY_DSN", "")
if SENTRY_DSN:
    from core.logs import init_sentry

    init_sentry(dsn=SENTRY_DSN, environment=env_str("SENTRY_ENVIRONMENT", "production"))

# Travellers' site (public/). Map tiles: an {z}/{x}/{y} URL template; empty = no tile
# request at all, the map shows its static fallback (tests, offline machines).
MAP_TILES_URL = env_str("MAP_TILES_URL", "")
MAP_TILES_ATTRIBUTION = env_str("MAP_TILES_ATTRIBUTION", "© OpenStreetMap contributors")
SEARCH_PAGE_SIZE = env_int("SEARCH_PAGE_SIZE", 20)
SEARCH_CACHE_SECONDS = env_int("SEARCH_CACHE_SECONDS", 20)  # same search again within this: no query
# An anonymous visitor's search page kept whole this long (public/pagecache.py; 0: off).
SEARCH_PAGE_CACHE_SECONDS = env_int("SEARCH_PAGE_CACHE_SECONDS", 30)
# The content of the home and offer pages kept this long at most as fragments (public/fragments.py;
# every change to what they show outdates them at once). 0: off. Needs a cache shared by every
# process (Redis: production's CACHE_URL), else the photo worker's changes would not reach the site.
PUBLIC_FRAGMENT_SECONDS = env_int("PUBLIC_FRAGMENT_SECONDS", 600)
# The owner's dashboard counts over all their bookings (filter tabs, clients, payments to come)
# kept this long at most; every write to their bookings outdates them at once
# (bookings/owner_aggregates.py). 0: off, the default: it needs a cache shared by every process
# (the worker's writes must reach the site's), as production's CACHE_URL is.
OWNER_AGGREGATES_CACHE_SECONDS = env_int("OWNER_AGGREGATES_CACHE_SECONDS", 0)

# Calendar sync (docs/calendar-sync.md#the-sync-job): every feed is refreshed every 50 minutes.
CALSYNC_INTERVAL_MINUTES = env_int("CALSYNC_INTERVAL_MINUTES", 50)
CALSYNC_CONNECT_TIMEOUT = 5.0  # seconds, per fetch
CALSYNC_READ_TIMEOUT = 15.0
CALSYNC_FETCH_DEADLINE = 30.0  # whole download, redirects included
CALSYNC_STALE_AFTER_FAILURES = env_int("CALSYNC_STALE_AFTER_FAILURES", 6)  # runs in a row ≈ 5 hours
CALSYNC_INTERACTIVE_DEADLINE = 8.0  # "Enregistrer & Synchroniser": an owner's request waits at most this
CALSYNC_PARSE_BUDGET = 10.0  # seconds of parsing per feed in the job; a slower feed is refused
CALSYNC_PRECHECK_TIMEOUT = 3.0  # re-fetch before money moves; slow feeds keep their last good blocks
CALSYNC_MAX_RETRIES = 2
CALSYNC_ALLOW_LOOPBACK = env_bool("CALSYNC_ALLOW_LOOPBACK", False)  # tests and local benchmarks only
# URLs under these prefixes may be fetched on loopback (calsync/fetching.py): development
# settings name the demo feed server; production settings refuse any value.
CALSYNC_ALLOWED_LOCAL_URL_PREFIXES = env_list("CALSYNC_ALLOWED_LOCAL_URL_PREFIXES", [])
# The demo feed server of `make run` (devtools/demo_feeds.py), where the demo's feeds point
# (calsync/demo.py) instead of real platforms.
DEMO_FEEDS_PORT = env_int("DEMO_FEEDS_PORT", 8421)
CALSYNC_DEMO_FEEDS_URL = f"http://127.0.0.1:{DEMO_FEEDS_PORT}/demo-feeds"

# Every periodic job, in one place. Each task is also a management command of the same name,
# with the same function underneath (core/tests/test_architecture.py checks it).
CELERY_BEAT_SCHEDULE = {
    # Booking deadlines (answer, payment, checkout hold) are swept (bookings.services.expire_overdue).
    "expire-bookings": {"task": "bookings.tasks.expire_bookings",
                        "schedule": float(env_int("EXPIRE_BOOKINGS_EVERY_SECONDS", 60))},
    # Calendar feeds due for their refresh are fetched (calsync.tasks.sync_calendars).
    "sync-calendars": {"task": "calsync.tasks.sync_calendars", "schedule": CALSYNC_INTERVAL_MINUTES * 60.0},
    # Refunds Stripe could not take at once are retried (payouts.refunds.retry_refunds).
    "retry-refunds": {"task": "payouts.tasks.retry_refunds", "schedule": 600.0},
    "cancel-abandoned-payments": {"task": "payouts.tasks.cancel_abandoned_payments", "schedule": 600.0},
    # Owners are paid on the 1st at 06:00 in Paris (payouts/monthly.py); ended bookings are posted
    # to the ledger every hour so balances are current; payouts in doubt are retried.
    "run-payouts": {"task": "payouts.tasks.run_payouts",
                    "schedule": ParisCrontab(minute=0, hour=6, day_of_month=1)},
    "end-bookings": {"task": "payouts.tasks.end_bookings", "schedule": 3600.0},
    "retry-payouts": {"task": "payouts.tasks.retry_payouts", "schedule": 1800.0},
    # Commission invoices and the owners' monthly email, once the 1st's payouts are written
    # (invoices.monthly.issue_invoices computes the month in Paris time, whatever the hour).
    "issue-invoices": {"task": "invoices.tasks.issue_invoices",
                       "schedule": ParisCrontab(minute=0, hour=7, day_of_month=1)},
    # Experience sessions follow their periods; publication and period edits already generate
    # them, this daily sweep only repairs drift (experiences.services.sessions_for_all_published).
    "generate-sessions": {"task": "experiences.tasks.generate_sessions", "schedule": 86400.0},
    # Emails the mail server did not take are retried with a growing delay (core.mail.send_pending_emails).
    "send-pending-emails": {"task": "core.tasks.send_pending_emails", "schedule": 60.0},
    # Review invitations the day after a stay or session ends, one reminder 7 days later
    # (reviews.services.send_review_invitations; each sent once, whatever the runs).
    "send-review-invitations": {"task": "reviews.tasks.send_review_invitations", "schedule": 3600.0},
    # Gift vouchers dated for a later day are emailed to their recipient (vouchers.services.deliver_due).
    "send-due-vouchers": {"task": "vouchers.tasks.send_due_vouchers", "schedule": 3600.0},
    # Export files past EXPORT_RETENTION_DAYS are deleted.
    "purge-exports": {"task": "exports.tasks.purge_exports", "schedule": 3600.0},
    # "Mes données" ZIP files past their 24 h are deleted (privacy.services.purge_data_exports).
    "purge-data-exports": {"task": "privacy.tasks.purge_data_exports", "schedule": 3600.0},
    # Staff are emailed, once per incident, about a job that has not succeeded for twice its period
    # (operations.jobs.check_jobs, docs/operations.md#periodic-jobs).
    "check-jobs": {"task": "operations.tasks.check_jobs", "schedule": 900.0},
}
