import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache():
    """The partners page keeps its totals a few minutes in the cache: start each test without
    (a rolled-back test database does not forget what the cache holds)."""
    cache.clear()
    yield
    cache.clear()
