"""Reviews' fixtures: a stay that ended (Sunday 9 → Tuesday 11 May 2027) and the clock
around it; the offers and people are the project's (conftest.py)."""
from datetime import UTC, datetime

import pytest

from bookings.tests.dashboard_factories import make_booking
from conftest import make_user

# Tuesday 11 May 2027 is the departure day: the stay's service ends at 00:00 Paris (22:00 UTC the 10th).
ENDED = datetime(2027, 5, 10, 22, 0, tzinfo=UTC)
AFTER = datetime(2027, 5, 12, 10, 0, tzinfo=UTC)  # Wednesday 12:00 in Paris: the stay is over


@pytest.fixture
def now():
    return AFTER


@pytest.fixture
def stay(traveller, unit):
    """A confirmed stay of `traveller` on `owner`'s gîte, over by AFTER."""
    return make_booking(traveller=traveller, unit=unit, arrival="2027-05-09", departure="2027-05-11",
                        reference="AH-STAY22")


@pytest.fixture
def other_traveller(db):
    return make_user("james@example.org", first_name="James", last_name="Carter", language="en")


RATINGS = {"rating": 4, "cleanliness": 5, "welcome": 4, "heritage": 5, "value": 3}


def form_data(**overrides) -> dict:
    return {**{k: str(v) for k, v in RATINGS.items()}, "text": "Un séjour merveilleux dans le prieuré.",
            **overrides}
