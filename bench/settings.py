"""Settings of the search benchmark: the ordinary settings, its own PostgreSQL database, and
one extra URL (a minimal template view) to compare against in the same run."""
import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_public")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from almaheritage.settings.base import *  # noqa: E402, F403
from almaheritage.settings.base import BASE_DIR, TEMPLATES  # noqa: E402

DEBUG = False
ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

# The page cache shared by the workers, as in production (settings/production.py CACHE_URL).
if os.environ.get("BENCH_CACHE_URL"):
    CACHES = {"default": {"BACKEND": "core.cache.RedisCache",
                          "LOCATION": os.environ["BENCH_CACHE_URL"]}}
    OWNER_AGGREGATES_CACHE_SECONDS = 86400  # as production's with CACHE_URL
