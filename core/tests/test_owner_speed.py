"""The helpers of the owner lists' speed (issue 14): links reversed once, queries built once,
a paginator told its count."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from bookings.models import Booking
from bookings.tests.dashboard_factories import make_booking, make_unit
from core.compiledsql import PAGE_LIMIT, PAGE_OFFSET, CompiledQuery
from core.links import url_for_each, url_with
from core.paginator import DeferredJoinPaginator


def test_url_for_each_is_reverse_for_every_id_in_each_language():
    references = ["AH-00001", "AH 2é", "a&b"]
    for language in ("fr", "en", "fr"):  # the pattern is kept per language
        with translation.override(language):
            assert url_for_each("dashboard_booking", references) == {
                reference: reverse("dashboard_booking", args=[reference]) for reference in references}
            assert url_for_each("domain_wizard", [7, 12], suffix_args=("infos",)) == {
                7: reverse("domain_wizard", args=[7, "infos"]), 12: reverse("domain_wizard", args=[12, "infos"])}
            assert url_with("lodging_detail", "le-moulin") == reverse("lodging_detail", args=["le-moulin"])
            assert url_with("lodging_detail", "la-tour").startswith(f"/{language}/")


@pytest.mark.django_db
def test_a_compiled_query_gives_the_orm_rows_with_their_types(owner, traveller):
    unit = make_unit(owner)
    for n in range(3):
        make_booking(traveller=traveller, unit=unit, arrival=date(2027, 5, 10) + timedelta(days=3 * n),
                     total=f"{100 + n}.50")

    def build(owner_id, after):
        return (Booking.objects.filter(owner_id=owner_id, arrival__gt=after)
                .order_by("arrival").values_list("reference", "arrival", "total_price", "created_at"))

    query = CompiledQuery(build, sentinels=(-7_301_401, date(1901, 2, 3)))
    for after in (date(2027, 5, 1), date(2027, 5, 12)):
        rows = query(owner.pk, after)
        assert rows == [tuple(row) for row in build(owner.pk, after)]
    assert isinstance(rows[0][1], date) and rows[0][2] == Decimal("101.50") and len(rows) == 2 and rows[0][3].tzinfo is not None
    assert query(owner.pk + 1000, date(2027, 5, 1)) == []


@pytest.mark.django_db
def test_a_compiled_query_refuses_a_parameter_that_is_no_sentinel(owner):
    query = CompiledQuery(lambda owner_id: Booking.objects.filter(owner_id=owner_id, adults=3).values_list("pk"),
                          sentinels=(-7_301_401,))
    with pytest.raises(ValueError, match="none of its sentinels"):
        query(owner.pk)


@pytest.mark.django_db
def test_the_deferred_join_paginator_takes_a_count_it_is_given(owner, traveller, django_assert_num_queries):
    unit = make_unit(owner)
    for n in range(4):
        make_booking(traveller=traveller, unit=unit, arrival=date(2027, 5, 10) + timedelta(days=3 * n))
    bookings = Booking.objects.filter(owner=owner).order_by("arrival", "pk")
    with django_assert_num_queries(2):  # the page's ids, then its rows: no COUNT
        page = DeferredJoinPaginator(bookings, 3, count=4).page(2)
    assert [booking.pk for booking in page.object_list] == [bookings[3].pk] and page.paginator.num_pages == 2


@pytest.mark.django_db
def test_a_compiled_query_keeps_only_the_constants_it_is_told_of_and_takes_a_page(owner, traveller):
    unit = make_unit(owner)
    for n in range(5):
        make_booking(traveller=traveller, unit=unit, arrival=date(2027, 5, 10) + timedelta(days=3 * n), adults=2)

    def build(owner_id, limit, offset):
        return (Booking.objects.filter(owner_id=owner_id, adults=2).order_by("arrival")
                .values_list("arrival")[PAGE_OFFSET:PAGE_OFFSET + PAGE_LIMIT])

    page = CompiledQuery(build, sentinels=(-7_301_401, PAGE_LIMIT, PAGE_OFFSET), constants=(2,))
    assert page(owner.pk, 2, 1) == [(date(2027, 5, 13),), (date(2027, 5, 16),)]
    assert page(owner.pk, 25, 4) == [(date(2027, 5, 22),)]
    # A value derived from an argument (the day after) is no constant: refused, never frozen.
    derived = CompiledQuery(lambda day: Booking.objects.filter(arrival__gt=day + timedelta(days=1)).values_list("pk"),
                            sentinels=(date(1901, 2, 3),), constants=(2,))
    with pytest.raises(ValueError, match="none of its sentinels or constants"):
        derived(date(2027, 5, 1))


@pytest.mark.django_db
def test_on_postgresql_a_compiled_query_is_planned_once_per_connection_and_still_logged(
        owner, traveller, django_assert_num_queries):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    unit = make_unit(owner)
    make_booking(traveller=traveller, unit=unit, arrival=date(2027, 5, 10))
    query = CompiledQuery(lambda owner_id: Booking.objects.filter(owner_id=owner_id, status="confirmed")
                          .values_list("arrival"), sentinels=(-7_301_401,), constants=("confirmed",))

    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE %s",
                           ['%"bookings_booking"."arrival"%'])
            return [statement for statement, in cursor.fetchall()]

    with django_assert_num_queries(1) as captured:
        assert query(owner.pk) == [(date(2027, 5, 10),)]
    # Logged as Django logs its own queries: the SQL with its parameter written in.
    assert f'"owner_id" = {owner.pk}' in captured.captured_queries[0]["sql"]
    assert len(prepared()) == 1  # prepared by its first run in this connection
    # Its constant written in, so that the generic plan knows it (a partial index on the status
    # serves it); the argument a parameter.
    assert "= 'confirmed'" in prepared()[0] and "$1" in prepared()[0] and "$2" not in prepared()[0]
    for other in (owner.pk + 1000, owner.pk):
        query(other)
    assert len(prepared()) == 1 and query(owner.pk + 1000) == []  # the same statement, each argument its own answer
