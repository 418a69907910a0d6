"""The precompiled stay search (public/search_sql.py, PostgreSQL) finds exactly what the ORM
path finds (the one SQLite runs), card for card, on a random catalogue with random bookings,
blocks and suspensions, for random queries over every filter, both sorts and several pages."""
import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection

from bookings.models import BookingStatus
from domains.models import DomainLabel, Label
from lodgings.models import Amenity
from public import search_sql
from public.search import SearchQuery, search

from .factories import block, make_domain, make_lodging, make_unit, stay, suspend

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the precompiled search is PostgreSQL's"),
]
NOW = datetime(2027, 5, 3, 10, tzinfo=UTC)
TODAY = date(2027, 5, 3)
REGIONS = ["centre-val-de-loire", "bretagne", "occitanie"]
COMMUNES = ["Montoire-sur-le-Loir", "Amboise", "Saint-Émilion", "L'Isle-Adam", "Châteaudun"]


@pytest.fixture
def catalogue(owner, traveller):
    rng = random.Random(2027)
    label, _ = Label.objects.get_or_create(slug="demeure-historique", defaults={"name": "Demeure Historique"})
    wifi, _ = Amenity.objects.get_or_create(code="wifi", defaults={"name": "Wi-Fi"})
    for d in range(14):
        domain = make_domain(owner, name=rng.choice(["Château", "Prieuré", "Manoir"]) + f" de Lys {d}",
                             region=rng.choice(REGIONS), commune=rng.choice(COMMUNES),
                             departement=rng.choice(["37", "41", "33"]),
                             status=rng.choice(["published"] * 5 + ["draft"]),
                             monument_verified=rng.random() < 0.4,
                             monument_protection=rng.choice(["", "classe", "inscrit"]),
                             latitude=Decimal(f"{rng.uniform(46, 48):.4f}"), longitude=Decimal(f"{rng.uniform(0, 2):.4f}"))
        if rng.random() < 0.4:
            DomainLabel.objects.create(domain=domain, label=label, verified=rng.random() < 0.8)
        for _ in range(rng.randint(1, 2)):
            lodging = make_lodging(domain, kind=rng.choice(["gite", "chambres_hotes"]),
                                   status=rng.choice(["published"] * 6 + ["submitted"]),
                                   booking_mode=rng.choice(["instant", "request"]),
                                   min_nights=rng.choice([1, 1, 2, 3]), max_nights=rng.choice([7, 30]),
                                   advance_notice_days=rng.choice([0, 1, 3]),
                                   arrival_weekdays=rng.choice(["1234567", "56", "6"]))
            if rng.random() < 0.5:
                lodging.amenities.add(wifi)
            for _ in range(rng.randint(1, 3)):
                # Few distinct prices: ties exercise the id order.
                unit = make_unit(lodging, price=str(rng.choice([80, 95, 120, 120, 150])), adults=rng.randint(1, 4),
                                 children=rng.randint(0, 2))
                day = TODAY + timedelta(days=rng.randint(0, 6))
                for _ in range(rng.randint(0, 5)):
                    nights = rng.randint(1, 5)
                    kind = rng.random()
                    if kind < 0.6:
                        stay(unit, traveller, day, day + timedelta(days=nights),
                             status=rng.choice([BookingStatus.CONFIRMED, BookingStatus.REQUESTED,
                                                BookingStatus.CHECKOUT, BookingStatus.CANCELLED]))
                    elif kind < 0.9:
                        block(unit, day, day + timedelta(days=nights))
                    else:
                        suspend(unit, day, day + timedelta(days=nights))
                    day += timedelta(days=nights + rng.randint(0, 6))


def random_query(rng: random.Random) -> SearchQuery:
    fields = {"guests": rng.randint(1, 5), "sort": rng.choice(["price", "relevance"]), "page": rng.choice([1, 1, 2])}
    if rng.random() < 0.6:
        fields["region"] = rng.choice(REGIONS)
    if rng.random() < 0.7:
        arrival = TODAY + timedelta(days=rng.randint(0, 30))
        fields.update(arrival=arrival, departure=arrival + timedelta(days=rng.randint(1, 4)))
    if rng.random() < 0.2:
        fields["departement"] = rng.choice(["37", "41"])
    if rng.random() < 0.2:
        fields["commune"] = rng.choice(["montoire", "Saint-Emilion", "AMBOISE", "Chateaudun", "Isle Adam"])
    if rng.random() < 0.2:
        fields["text"] = rng.choice(["chateau", "prieure de", "LYS 1", "montoire", "emilion"])
    if rng.random() < 0.15:
        fields["protection"] = rng.choice(["any", "classe", "inscrit"])
    if rng.random() < 0.15:
        fields["heritage_kind"] = "chateau"
    if rng.random() < 0.2:
        fields["price_min"] = Decimal(rng.choice([90, 100]))
    if rng.random() < 0.2:
        fields["price_max"] = Decimal(rng.choice([120, 140]))
    if rng.random() < 0.2:
        fields["instant_only"] = True
    if rng.random() < 0.15:
        fields["labels"] = ("demeure-historique",)
    if rng.random() < 0.15:
        fields["amenities"] = ("wifi",)
    if rng.random() < 0.1:
        fields["near"] = (Decimal("47.0"), Decimal("1.0"), rng.choice([30, 80]))
    return SearchQuery(**fields)


def test_the_precompiled_search_finds_what_the_orm_finds(catalogue):
    rng = random.Random(14)
    found_some = 0
    for _ in range(150):
        query = random_query(rng)
        sql = search(query, now=NOW, page_size=5)
        orm = search(query, now=NOW, page_size=5, orm=True)
        assert (sql.count, sql.rows) == (orm.count, orm.rows), query
        found_some += bool(sql.rows)
    assert found_some > 40  # the queries were not all empty


def test_a_page_is_one_query_whatever_the_filters(catalogue, django_assert_num_queries):
    query = SearchQuery(region="bretagne", arrival=TODAY + timedelta(days=3), departure=TODAY + timedelta(days=5),
                        labels=("demeure-historique",), amenities=("wifi",), text="chateau", sort="relevance")
    with django_assert_num_queries(1):
        search(query, now=NOW)
    with django_assert_num_queries(1):
        search(SearchQuery(page=40), now=NOW)  # past the last page: the count still comes back


def test_a_region_browsed_by_price_walks_the_price_index(owner):
    """The page is found by walking unit_search in price order and stopping at the cap, not
    by sorting every unit of the region. On a region of 3,000 rooms, each taken a dozen
    times, the planner's estimates of the stay given as a constant make it sort them all;
    given as a subquery (search_sql's), it walks the index."""
    from lodgings.models import Unit

    lodging = make_lodging(make_domain(owner, region="bretagne"))
    Unit.objects.bulk_create(Unit(lodging=lodging, name=f"Chambre {n}", nightly_price=60 + n % 200, is_listed=True,
                                  region="bretagne", max_guests=2) for n in range(3000))
    with connection.cursor() as cursor:
        cursor.execute("""UPDATE lodgings_unit u SET occupied = (
                              SELECT range_agg(daterange(%s + ((u.id * 37 + g * 23) %% 300)::int, %s + ((u.id * 37 + g * 23) %% 300)::int + 3))
                                FROM generate_series(0, 12) g) WHERE u.lodging_id = %s""", [TODAY, TODAY, lodging.pk])
        cursor.execute("ANALYZE lodgings_unit, lodgings_lodging, domains_domain")
        query = SearchQuery(region="bretagne", arrival=TODAY + timedelta(days=30), departure=TODAY + timedelta(days=32))
        sql = search_sql._statement(search_sql._shape(query))
        params = search_sql._parameters(query, today=TODAY, limit=201, offset=0, page_size=20)

        def plan(sql):
            cursor.execute("EXPLAIN " + sql, params)
            return "\n".join(row[0] for row in cursor.fetchall())

        walked = plan(sql)
        as_constant = plan(sql.replace("(SELECT daterange(%(arrival)s, %(departure)s))",
                                       "daterange(%(arrival)s, %(departure)s)"))
    assert "Index Scan using unit_search on lodgings_unit u_1" in walked
    assert "Sort Key: u_1.nightly_price" not in walked
    assert "Sort Key: u_1.nightly_price" in as_constant  # what the subquery is for
