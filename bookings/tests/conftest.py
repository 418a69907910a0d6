"""The bookings tests' clock; the offers they book are the project's (conftest.py)."""
from datetime import UTC, datetime

import pytest

# A fixed clock: services take `now`, so tests say exactly when things happen.
NOW = datetime(2027, 5, 3, 10, 0, tzinfo=UTC)  # Monday 3 May 2027, 12:00 in Paris


@pytest.fixture
def now():
    return NOW
