"""core.cache.RedisCache, production's cache (settings CACHE_URL), against a real Redis: the
page cache's get_many, the catalogue version's incr, and one client kept per pool."""
import os

import pytest

from core.cache import RedisCache

# A database of its own, emptied here (other tests use 0, 5 and 6).
REDIS_URL = os.environ.get("CORE_TEST_REDIS_URL", "redis://127.0.0.1:6379/12")


@pytest.fixture
def cache():
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).flushdb()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    yield RedisCache(REDIS_URL, {})
    redis.Redis.from_url(REDIS_URL).flushdb()


def test_it_keeps_reads_and_counts_like_django_s(cache):
    cache.set("page", (3, "<html>é</html>"), 30)
    cache.set("version", 3, None)
    assert cache.get_many(["version", "page", "absent"]) == {"version": 3, "page": (3, "<html>é</html>")}
    assert cache.incr("version") == 4
    assert cache.add("version", 1) is False and cache.get("version") == 4
    cache.delete("page")
    assert cache.get("page") is None
    assert cache.get_or_set("choices", lambda: ["a", "b"], 60) == ["a", "b"]


def test_one_client_is_built_per_pool_not_per_command(cache):
    cache.set("a", 1)
    client = cache._cache.get_client(write=True)
    cache.get("a")
    cache.set("b", 2)
    assert cache._cache.get_client(write=True) is client and cache._cache.get_client() is client
