"""Search across published offers (selectors: reads only).

Stays are searched unit by unit on the columns kept on `Unit` (is_listed, region,
max_guests, nightly_price) so the composite index `unit_search` serves filter and sort, and
PostgreSQL can stop after one page (docs/development.md#measure). Availability is NOT EXISTS subqueries
(`bookings.availability.free_units`). The count is capped ("200+") instead of a full COUNT."""
import math
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Case, Exists, F, FloatField, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import ACos, Cast, Cos, Least, Radians, Sin

from bookings.availability import free_units
from bookings.rules import party_size_q, stay_dates_q
from core.dates import PARIS, today_in_paris
from core.text import search_key
from domains.models import BookingMode, DomainLabel, DomainPhoto, MonumentProtection, OfferStatus
from experiences.models import Experience, ExperiencePhoto, Session
from lodgings.models import Lodging, LodgingPhoto, Unit

from . import cards, search_sql

COUNT_CAP = 200
EARTH_RADIUS_KM = 6371.0

DOMAIN_CARD_FIELDS = ["id", "name", "slug", "heritage_kind", "commune", "departement", "region", "latitude",
                      "longitude", "monument_protection", "monument_verified"]


@dataclass(frozen=True)
class SearchQuery:
    kind: str = "stay"  # "stay" or "experience"
    region: str = ""
    departement: str = ""
    commune: str = ""  # loose: "Montoire" finds Montoire-sur-le-Loir (core.text.search_key)
    near: tuple[Decimal, Decimal, int] | None = None  # latitude, longitude, radius in km
    arrival: date | None = None
    departure: date | None = None
    day: date | None = None
    guests: int = 1
    heritage_kind: str = ""
    labels: tuple[str, ...] = ()
    protection: str = ""  # "", "any", "classe", "inscrit": verified by staff
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    instant_only: bool = False
    amenities: tuple[str, ...] = ()
    sort: str = "price"  # "price" or "relevance"
    page: int = 1
    text: str = ""  # free text (?q=): a word of the domain's or offer's name or of the commune, loosely


@dataclass
class SearchResult:
    rows: list = field(default_factory=list)
    count: int = 0  # capped at COUNT_CAP + 1
    page: int = 1
    page_size: int = 20

    @property
    def count_is_capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def shown_count(self) -> str:
        return f"{COUNT_CAP}+" if self.count_is_capped else str(self.count)

    @property
    def has_next(self) -> bool:
        return self.count > self.page * self.page_size

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def out_of_range(self) -> bool:
        return self.page > 1 and not self.rows


def _domain_filters(query: SearchQuery, prefix: str) -> Q:
    """Filters on the domain, `prefix` being the path from the searched model to it."""
    q = Q(**{f"{prefix}status": OfferStatus.PUBLISHED})
    if query.departement:
        q &= Q(**{f"{prefix}departement": query.departement})
    if query.commune:
        commune = search_key(query.commune)
        q &= Q(**{f"{prefix}commune_key": commune}) | Q(**{f"{prefix}commune_key__startswith": commune + " "})
    if query.heritage_kind:
        q &= Q(**{f"{prefix}heritage_kind": query.heritage_kind})
    if query.protection:
        kinds = [MonumentProtection.CLASSE, MonumentProtection.INSCRIT] if query.protection == "any" \
            else [query.protection]
        q &= Q(**{f"{prefix}monument_verified": True, f"{prefix}monument_protection__in": kinds})
    if query.near:
        q &= _bounding_box(query.near, prefix)
    return q


def _text_q(text: str, columns: list[str]) -> Q:
    """A word of one of the key columns starting with the text (both through search_key)."""
    key, found = search_key(text), Q()
    for column in columns:
        found |= Q(**{f"{column}__startswith": key}) | Q(**{f"{column}__contains": " " + key})
    return found


def _bounding_box(near: tuple[Decimal, Decimal, int], prefix: str) -> Q:
    lat, lng, radius = float(near[0]), float(near[1]), near[2]
    dlat = radius / 111.0
    dlng = radius / (111.0 * max(math.cos(math.radians(lat)), 0.01))
    return Q(**{f"{prefix}latitude__gte": lat - dlat, f"{prefix}latitude__lte": lat + dlat,
                f"{prefix}longitude__gte": lng - dlng, f"{prefix}longitude__lte": lng + dlng})


def _within_radius(qs: QuerySet, near: tuple[Decimal, Decimal, int], prefix: str) -> QuerySet:
    """Great-circle distance, after the bounding box has cut the candidates down."""
    lat0, lng0 = math.radians(float(near[0])), math.radians(float(near[1]))
    lat = Radians(Cast(f"{prefix}latitude", FloatField()))
    lng = Radians(Cast(f"{prefix}longitude", FloatField()))
    cosine = Value(math.cos(lat0)) * Cos(lat) * Cos(lng - Value(lng0)) + Value(math.sin(lat0)) * Sin(lat)
    return qs.alias(distance_km=ACos(Least(cosine, Value(1.0))) * Value(EARTH_RADIUS_KM)).filter(
        distance_km__lte=near[2])


def _label_filters(labels: tuple[str, ...], domain_ref: str) -> list:
    return [Exists(DomainLabel.objects.filter(domain=OuterRef(domain_ref), label__slug=slug, verified=True))
            for slug in labels]


def _first_photo(model, owner_field: str, ref: str) -> Subquery:
    return Subquery(model.objects.filter(**{owner_field: OuterRef(ref)}).order_by("position", "id")
                    .values("card")[:1])


def stay_units(query: SearchQuery, *, today: date) -> QuerySet[Unit]:
    """Listed units of published lodgings and domains matching the query, free for its dates.
    The stay rules are the booking's (bookings.rules), so a unit found here accepts the stay."""
    units = Unit.objects.filter(_domain_filters(query, "lodging__domain__"), party_size_q(query.guests),
                                is_listed=True, lodging__status=OfferStatus.PUBLISHED)
    if query.region:
        units = units.filter(region=query.region)
    if query.text:
        units = units.filter(_text_q(query.text, ["lodging__domain__name_key", "lodging__domain__commune_key",
                                                  "lodging__title_key"]))
    if query.near:
        units = _within_radius(units, query.near, "lodging__domain__")
    if query.price_min is not None:
        units = units.filter(nightly_price__gte=query.price_min)
    if query.price_max is not None:
        units = units.filter(nightly_price__lte=query.price_max)
    if query.instant_only:
        units = units.filter(lodging__booking_mode=BookingMode.INSTANT)
    units = units.filter(*_label_filters(query.labels, "lodging__domain_id"))
    for code in query.amenities:
        units = units.filter(Exists(Lodging.amenities.through.objects.filter(lodging=OuterRef("lodging_id"),
                                                                             amenity__code=code)))
    if query.arrival and query.departure:
        units = units.filter(stay_dates_q(arrival=query.arrival, departure=query.departure, today=today))
        units = free_units(units, query.arrival, query.departure)
    return units


def _stay_order(units: QuerySet[Unit], query: SearchQuery) -> QuerySet[Unit]:
    if query.sort == "relevance":
        # Verified monuments first, then instant booking, then price.
        return units.annotate(
            relevance=Case(When(lodging__domain__monument_verified=True, then=Value(2)), default=Value(0),
                           output_field=IntegerField())
            + Case(When(lodging__booking_mode=BookingMode.INSTANT, then=Value(1)), default=Value(0),
                   output_field=IntegerField())
        ).order_by("-relevance", "nightly_price", "id")
    return units.order_by("nightly_price", "id")


def _stay_cards(ids: list[int]) -> list[dict]:
    """The cards of one page as plain dicts (values(): no model instances to build)."""
    rows = Unit.objects.filter(pk__in=ids).values(
        "id", "name", "nightly_price", "max_guests", "lodging__title", "lodging__title_en", "lodging__slug",
        "lodging__kind",
        "lodging__booking_mode", "lodging__rating__average", "lodging__rating__count", "lodging__cleaning_fee",
        *[f"lodging__domain__{f}" for f in DOMAIN_CARD_FIELDS],
        photo=_first_photo(LodgingPhoto, "lodging", "lodging_id"),
        domain_photo=_first_photo(DomainPhoto, "domain", "lodging__domain_id"))
    return [cards.stay_card(row) for row in rows]


def experience_queryset(query: SearchQuery, *, now: datetime) -> QuerySet[Experience]:
    sessions = Session.objects.filter(experience=OuterRef("pk"), is_active=True, start__gte=now,
                                      capacity__gte=F("places_taken") + query.guests)
    if query.day:
        day_start = datetime.combine(query.day, time(0), tzinfo=PARIS)
        sessions = sessions.filter(start__gte=day_start,
                                   start__lt=datetime.combine(query.day + timedelta(days=1), time(0), tzinfo=PARIS))
    experiences = Experience.objects.filter(_domain_filters(query, "domain__"), Exists(sessions),
                                            status=OfferStatus.PUBLISHED)
    if query.region:
        experiences = experiences.filter(domain__region=query.region)
    if query.text:
        experiences = experiences.filter(_text_q(query.text, ["domain__name_key", "domain__commune_key", "title_key"]))
    if query.near:
        experiences = _within_radius(experiences, query.near, "domain__")
    if query.price_min is not None:
        experiences = experiences.filter(price_per_person__gte=query.price_min)
    if query.price_max is not None:
        experiences = experiences.filter(price_per_person__lte=query.price_max)
    if query.instant_only:
        experiences = experiences.filter(booking_mode=BookingMode.INSTANT)
    return experiences.filter(*_label_filters(query.labels, "domain_id")).annotate(
        next_session=Subquery(sessions.order_by("start").values("start")[:1]))


def _experience_order(experiences: QuerySet[Experience], query: SearchQuery) -> QuerySet[Experience]:
    if query.sort == "relevance":
        return experiences.order_by("-domain__monument_verified", "next_session", "price_per_person", "id")
    return experiences.order_by("price_per_person", "id")


def _experience_cards(experiences: QuerySet[Experience], ids: list[int]) -> list[dict]:
    rows = experiences.filter(pk__in=ids).values(
        "id", "title", "title_en", "slug", "category", "price_per_person", "duration_minutes", "booking_mode", "next_session",
        "rating__average", "rating__count",
        *[f"domain__{f}" for f in DOMAIN_CARD_FIELDS],
        photo=_first_photo(ExperiencePhoto, "experience", "pk"),
        domain_photo=_first_photo(DomainPhoto, "domain", "domain_id"))
    return [cards.experience_card(row) for row in rows]


@contextmanager
def _walk_price_index(*, enabled: bool):
    """PostgreSQL misjudges the NOT EXISTS availability tests (it expects most units to be
    taken), so it sorts every unit of the region instead of walking `unit_search` in price
    order and stopping at the cap: 19 ms against 6 ms on the benchmark data. Steer it, for
    this one query, inside its own transaction (SET LOCAL ends with it)."""
    if not enabled or connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off; SET LOCAL enable_bitmapscan = off; SET LOCAL jit = off")
        yield
        # Inside a caller's transaction SET LOCAL would outlive this block (tests: every later
        # query planned without sorts, and JIT-compiled for it).
        cursor.execute("RESET enable_sort; RESET enable_bitmapscan; RESET jit")


def search(query: SearchQuery, *, now: datetime, page_size: int = 20, orm: bool = False) -> SearchResult:
    """Stays on PostgreSQL: one precompiled SQL statement (public/search_sql.py) reading the
    units' occupied-nights column. Otherwise (experiences, SQLite, or `orm` to compare) two
    queries whatever the number of results. The first walks the matching offers in
    order and stops after COUNT_CAP + 1 (or the end of the asked page): it gives both the
    capped count and the page's ids. The second loads the cards of that page only, so the
    photo subqueries run for 20 rows, not for every match."""
    offset = (query.page - 1) * page_size
    limit = max(COUNT_CAP, offset + page_size) + 1
    if query.kind != "experience" and not orm and search_sql.available():
        rows, count = search_sql.stay_page(query, today=today_in_paris(now), limit=limit, offset=offset,
                                           page_size=page_size)
        return SearchResult(rows=rows, count=count, page=query.page, page_size=page_size)
    if query.kind == "experience":
        matching = experience_queryset(query, now=now)
        ids = list(_experience_order(matching, query).values_list("pk", flat=True)[:limit])
        page_ids = ids[offset:offset + page_size]
        found = _experience_cards(matching, page_ids) if page_ids else []
    else:
        # Only for the common case, a region browsed by price: with a commune, a département,
        # a point or labels, few units match and walking all of them in price order would cost more.
        walk = query.sort == "price" and bool(query.region) and not (
            query.commune or query.departement or query.near or query.labels)
        with _walk_price_index(enabled=walk):
            ids = list(_stay_order(stay_units(query, today=today_in_paris(now)), query)
                       .values_list("pk", flat=True)[:limit])
        page_ids = ids[offset:offset + page_size]
        found = _stay_cards(page_ids) if page_ids else []
    by_id = {card["id"]: card for card in found}
    return SearchResult(rows=[by_id[pk] for pk in page_ids if pk in by_id], count=len(ids), page=query.page,
                        page_size=page_size)
