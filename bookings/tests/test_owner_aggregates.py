"""The dashboard's counts over all of an owner's bookings, kept in the shared cache
(bookings/owner_aggregates.py): kept between visits, fresh after every committed write to
the owner's bookings and at the turn of the day, never revived by an evicted version, and
off without a shared cache."""
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bookings import services
from bookings.models import BookingStatus
from conftest import make_user

from .dashboard_factories import NOW, make_booking, make_unit

pytestmark = pytest.mark.django_db
LIST = "/fr/tableau-de-bord/reservations/"
CLIENTS = "/fr/tableau-de-bord/clients/"


@pytest.fixture(autouse=True)
def kept_a_day(settings):
    settings.OWNER_AGGREGATES_CACHE_SECONDS = 86400
    cache.clear()  # SQLite may give a rolled-back owner's id to the next test's owner
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def unit(owner):
    return make_unit(owner)


def tabs(client, path=LIST) -> tuple[dict, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return ({key: count for key, _label, count in response.context["filters"]},
            [query["sql"] for query in queries.captured_queries])


def counted(sqls: list[str]) -> bool:
    """Whether the page read the tabs' counts (FILTER aggregates over every booking)."""
    return any("FILTER" in sql or "json_array" in sql.lower() for sql in sqls)


def test_the_tabs_counts_are_kept_between_visits_and_follow_each_committed_change(
        owner_client, traveller, unit, django_capture_on_commit_callbacks):
    make_booking(traveller=traveller, unit=unit, arrival="2027-05-10")
    first, sqls = tabs(owner_client)
    assert first["toutes"] == 1 and first["a-venir"] == 1 and counted(sqls)

    again, sqls = tabs(owner_client)
    assert again == first and not counted(sqls)  # the rows alone were read

    with django_capture_on_commit_callbacks(execute=True):
        make_booking(traveller=traveller, unit=make_unit(unit.lodging.domain.owner, room="Chambre verte"),
                     status=BookingStatus.REQUESTED, arrival="2027-06-01")
    after_request, sqls = tabs(owner_client)
    assert (after_request["toutes"], after_request["en-attente"], after_request["a-venir"]) == (2, 1, 1)
    assert counted(sqls)

    # The worker expires the unanswered request (its deadline passed; the page's day is the same).
    with django_capture_on_commit_callbacks(execute=True):
        assert services.expire_overdue(now=NOW + timedelta(days=4)) == 1
    after_expiry, _sqls = tabs(owner_client)
    assert (after_expiry["toutes"], after_expiry["en-attente"], after_expiry["a-venir"]) == (2, 0, 1)


def test_the_day_turning_moves_the_counts_without_any_write(owner_client, traveller, unit):
    make_booking(traveller=traveller, unit=unit, arrival="2027-05-04", departure="2027-05-06")
    today, _sqls = tabs(owner_client)
    assert (today["a-venir"], today["en-cours"]) == (1, 0)
    with time_machine.travel(NOW.replace(day=5), tick=False):
        tomorrow, _sqls = tabs(owner_client)
    assert (tomorrow["a-venir"], tomorrow["en-cours"]) == (0, 1)


def test_an_evicted_version_never_revives_an_older_count(owner, owner_client, traveller, unit):
    make_booking(traveller=traveller, unit=unit, arrival="2027-05-10")
    assert tabs(owner_client)[0]["toutes"] == 1
    # A write whose commit is not seen here (its callback does not run), then the cache drops
    # the version: the count kept before must not come back.
    make_booking(traveller=traveller, unit=make_unit(owner, room="Chambre verte"), arrival="2027-05-20")
    assert tabs(owner_client)[0]["toutes"] == 1  # kept: the write's commit never came
    cache.delete(f"bookings:owner:{owner.pk}:version")
    assert tabs(owner_client)[0]["toutes"] == 2


def test_the_clients_count_is_kept_and_follows_a_new_client(owner, owner_client, traveller, unit,
                                                               django_capture_on_commit_callbacks):
    make_booking(traveller=traveller, unit=unit, arrival="2027-05-10")

    def clients() -> int:
        response = owner_client.get(CLIENTS)
        assert response.status_code == 200
        return response.context["page"].paginator.count

    assert clients() == 1
    with CaptureQueriesContext(connection) as queries:
        assert clients() == 1
    assert not any("DISTINCT" in query["sql"] for query in queries.captured_queries)
    with django_capture_on_commit_callbacks(execute=True):
        make_booking(traveller=make_user("paul@example.fr", first_name="Paul"),
                     unit=make_unit(owner, room="Chambre verte"), arrival="2027-05-20")
    assert clients() == 2


def test_without_a_shared_cache_nothing_is_kept(settings, owner, owner_client, traveller, unit):
    """The zero-setup default: the worker's writes would not reach the site's own memory."""
    settings.OWNER_AGGREGATES_CACHE_SECONDS = 0
    make_booking(traveller=traveller, unit=unit, arrival="2027-05-10")
    assert tabs(owner_client)[0]["toutes"] == 1
    make_booking(traveller=traveller, unit=make_unit(owner, room="Chambre verte"), arrival="2027-05-20")
    counts, sqls = tabs(owner_client)
    assert counts["toutes"] == 2 and counted(sqls)
