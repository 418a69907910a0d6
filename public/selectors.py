"""What a traveller may see. Everything public goes through these: an offer is visible
only when it and its domain are published (units also `is_listed`); anything else is a 404."""
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Min, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from bookings import occupancy
from bookings.availability import occupied_ranges
from core.compiledsql import CompiledQuery
from domains.models import Domain, DomainLabel, OfferStatus
from donations.selectors import PartnerGiven, partners_given
from experiences.models import Experience, Session
from lodgings.models import Lodging, Unit

PUBLISHED = OfferStatus.PUBLISHED


def published_domains() -> QuerySet[Domain]:
    return Domain.objects.filter(status=PUBLISHED)


def published_lodgings() -> QuerySet[Lodging]:
    return Lodging.objects.filter(status=PUBLISHED, domain__status=PUBLISHED)


def published_experiences() -> QuerySet[Experience]:
    return Experience.objects.filter(status=PUBLISHED, domain__status=PUBLISHED)


def listed_units() -> QuerySet[Unit]:
    return Unit.objects.filter(is_listed=True, lodging__status=PUBLISHED, lodging__domain__status=PUBLISHED)


def verified_labels() -> Prefetch:
    return Prefetch("domain_labels", queryset=DomainLabel.objects.filter(verified=True).select_related("label"),
                    to_attr="verified_labels")


def domain_for_page(slug: str) -> Domain:
    return get_object_or_404(published_domains().select_related("owner__owner_profile")
                             .prefetch_related("photos", verified_labels()), slug=slug)


def domain_lodgings(domain: Domain) -> QuerySet[Lodging]:
    """The domain page's lodgings, paginated by the view: a domain may have hundreds."""
    return (published_lodgings().filter(domain=domain, units__is_listed=True)
            .annotate(price_from=Min("units__nightly_price")).prefetch_related("photos").order_by("title", "id"))


def domain_experiences(domain: Domain) -> QuerySet[Experience]:
    return published_experiences().filter(domain=domain).prefetch_related("photos").order_by("title", "id")


def lodging_for_page(slug: str) -> Lodging:
    return get_object_or_404(
        published_lodgings().select_related("domain__owner__owner_profile").prefetch_related(
            "photos", "amenities",
            Prefetch("domain__domain_labels",
                     queryset=DomainLabel.objects.filter(verified=True).select_related("label"),
                     to_attr="verified_labels")),
        slug=slug)


def lodging_units(lodging: Lodging) -> QuerySet[Unit]:
    """The lodging page's rooms, paginated by the view (a gîte has one, a hotel hundreds)."""
    return Unit.objects.filter(lodging=lodging, is_listed=True).order_by("position", "id")


def unit_position(unit: Unit) -> int:
    """How many of its lodging's listed rooms come before `unit` in the page's order."""
    before = Q(position__lt=unit.position) | Q(position=unit.position, pk__lt=unit.pk)
    return Unit.objects.filter(before, lodging_id=unit.lodging_id, is_listed=True).count()


def experience_for_page(slug: str) -> Experience:
    return get_object_or_404(published_experiences().select_related("domain__owner__owner_profile")
                             .prefetch_related("photos"), slug=slug)


def upcoming_sessions(experience: Experience, *, now: datetime, days: int = 90) -> QuerySet[Session]:
    """The sessions of the next three months, paginated by the view."""
    return Session.objects.filter(experience=experience, is_active=True, start__gte=now,
                                  start__lt=now + timedelta(days=days)).order_by("start", "id")


def first_upcoming_start(experience: Experience, *, now: datetime) -> datetime | None:
    """When the first session listed leaves the page (it starts)."""
    return (Session.objects.filter(experience=experience, is_active=True, start__gte=now).order_by("start")
            .values_list("start", flat=True).first())


def next_start_beyond(experience: Experience, *, now: datetime, days: int = 90) -> datetime | None:
    """When the next session beyond the listed months enters them."""
    start = (Session.objects.filter(experience=experience, is_active=True, start__gte=now + timedelta(days=days))
             .order_by("start").values_list("start", flat=True).first())
    return None if start is None else start - timedelta(days=days)


def unit_for_api(unit_id: int, *, with_lodging: bool = False) -> Unit:
    if with_lodging:
        return listed_unit_with_lodging(unit_id)
    return get_object_or_404(listed_units().only("id", "lodging_id"), pk=unit_id)


_UNIT_FIELDS = [field.attname for field in Unit._meta.concrete_fields]
_LODGING_FIELDS = [field.attname for field in Lodging._meta.concrete_fields]
_LISTED_UNIT_WITH_LODGING = CompiledQuery(
    lambda unit_id: listed_units().filter(pk=unit_id).values_list(
        *_UNIT_FIELDS, *(f"lodging__{name}" for name in _LODGING_FIELDS)),
    sentinels=(-7_301_407,), constants=(True, PUBLISHED.value))


def listed_unit_with_lodging(unit_id: int) -> Unit:
    """A listed unit with its lodging (what the quote API prices), 404 otherwise: the row read
    by a query built once per process and made into the two models (the ORM's building of
    the query with its join was ~0.75 ms of the quote's 1.9 ms of CPU, issue 14)."""
    rows = _LISTED_UNIT_WITH_LODGING(unit_id)
    if not rows:
        raise Http404
    row, count = rows[0], len(_UNIT_FIELDS)
    unit = Unit.from_db(connection.alias, _UNIT_FIELDS, row[:count])
    unit.lodging = Lodging.from_db(connection.alias, _LODGING_FIELDS, row[count:])
    return unit


_LISTED_UNIT_NIGHTS_SQL = f"""
    SELECT lower(r), upper(r) FROM lodgings_unit u
      JOIN lodgings_lodging l ON l.id = u.lodging_id
      JOIN domains_domain d ON d.id = l.domain_id
      LEFT JOIN LATERAL unnest(u.occupied * datemultirange(daterange(%(start)s, %(end)s))) AS r ON true
     WHERE u.id = %(unit)s AND u.is_listed AND l.status = '{PUBLISHED}' AND d.status = '{PUBLISHED}'
     ORDER BY 1"""


def listed_unit_occupied(unit_id: int, start: date, end: date) -> list[tuple[date, date]]:
    """The availability API's answer: a listed unit's occupied nights in [start, end), merged
    and clipped. On PostgreSQL one precompiled statement on the occupied-nights column
    (bookings/occupancy.py; the ORM's building of the listing query cost more than the
    query), elsewhere `unit_for_api` then `occupied_ranges`. 404 for an unlisted unit."""
    if not occupancy.enabled():
        return occupied_ranges(unit_for_api(unit_id), start, end)
    if not 0 < unit_id < 2**31:  # beyond the id column's integers: no such unit
        raise Http404
    with connection.cursor() as cursor:
        cursor.execute(_LISTED_UNIT_NIGHTS_SQL, {"unit": unit_id, "start": start, "end": end})
        rows = cursor.fetchall()
    if not rows:
        raise Http404
    return [(a, b) for a, b in rows if a is not None]


def featured_domains(limit: int = 6) -> list[Domain]:
    return list(published_domains().prefetch_related("photos").order_by("-published_at", "-id")[:limit])


def donations_total() -> tuple[int, list[PartnerGiven]]:
    """What the partner foundations have been given so far (cents in all, each one's part),
    read from the ledger: a booking's donation reaches them only when its service ends, on the
    amount kept (donations/selectors.py, cached a few minutes)."""
    return partners_given()
