from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import cache


@pytest.fixture
def frozen_now():
    """Spring 2027, so the stays the tests search for are in the future."""
    with time_machine.travel(datetime(2027, 4, 1, 8, 0, tzinfo=UTC), tick=False):
        yield datetime(2027, 4, 1, 8, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fresh_cache():
    """The search keeps its filter choices a minute in the cache: start each test without."""
    cache.clear()
    yield
    cache.clear()
