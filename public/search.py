"""Search across published offers (selectors: reads only).

Stays are searched unit by unit on the columns kept on `Unit` (is_listed, region,
max_guests, nightly_price) so the composite index `unit_search` serves filter and sort, and
PostgreSQL can stop after one page (PERFORMANCE.md). Availability is NOT EXISTS subqueries
(`bookings.availability.free_units`). The count is capped ("200+") instead of a full COUNT."""
import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Case, Exists, F, FloatField, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import ACos, Cast, Cos, Least, Radians, Sin

from bookings.availability import free_units
from domains.models import DomainLabel, DomainPhoto, MonumentProtection
from domains.moderation import OfferStatus
from experiences.models import Experience, ExperiencePhoto, Session
from lodgings.models import BookingMode, Lodging, LodgingPhoto, Unit

PARIS = ZoneInfo("Europe/Paris")
COUNT_CAP = 200
EARTH_RADIUS_KM = 6371.0

DOMAIN_CARD_FIELDS = ["id", "name", "slug", "heritage_kind", "commune", "departement", "region", "latitude",
                      "longitude", "monument_protection", "monument_verified"]


@dataclass(frozen=True)
class SearchQuery:
    kind: str = "stay"  # "stay" or "experience"
    region: str = ""
    departement: str = ""
    commune: str = ""
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

    @property
    def nights(self) -> int | None:
        return (self.departure - self.arrival).days if self.arrival and self.departure else None


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
        q &= Q(**{f"{prefix}commune__iexact": query.commune})
    if query.heritage_kind:
        q &= Q(**{f"{prefix}heritage_kind": query.heritage_kind})
    if query.protection:
        kinds = [MonumentProtection.CLASSE, MonumentProtection.INSCRIT] if query.protection == "any" \
            else [query.protection]
        q &= Q(**{f"{prefix}monument_verified": True, f"{prefix}monument_protection__in": kinds})
    if query.near:
        q &= _bounding_box(query.near, prefix)
    return q


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


def stay_units(query: SearchQuery) -> QuerySet[Unit]:
    """Listed units of published lodgings and domains matching the query, free for its dates."""
    units = Unit.objects.filter(_domain_filters(query, "lodging__domain__"), is_listed=True,
                                lodging__status=OfferStatus.PUBLISHED, max_guests__gte=query.guests)
    if query.region:
        units = units.filter(region=query.region)
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
        nights = query.nights
        units = units.filter(lodging__min_nights__lte=nights, lodging__max_nights__gte=nights,
                             lodging__arrival_weekdays__contains=str(query.arrival.isoweekday()),
                             lodging__departure_weekdays__contains=str(query.departure.isoweekday()))
        units = free_units(units, query.arrival, query.departure)
    return units


def _stay_page_queryset(units: QuerySet[Unit], query: SearchQuery) -> QuerySet[Unit]:
    if query.sort == "relevance":
        # Verified monuments first, then instant booking, then price.
        units = units.annotate(
            relevance=Case(When(lodging__domain__monument_verified=True, then=Value(2)), default=Value(0),
                           output_field=IntegerField())
            + Case(When(lodging__booking_mode=BookingMode.INSTANT, then=Value(1)), default=Value(0),
                   output_field=IntegerField())
        ).order_by("-relevance", "nightly_price", "id")
    else:
        units = units.order_by("nightly_price", "id")
    return units.select_related("lodging__domain").only(
        "id", "name", "nightly_price", "max_guests", "lodging_id",
        "lodging__id", "lodging__title", "lodging__slug", "lodging__kind", "lodging__booking_mode",
        "lodging__cleaning_fee", "lodging__domain_id", *[f"lodging__domain__{f}" for f in DOMAIN_CARD_FIELDS],
    ).annotate(photo=_first_photo(LodgingPhoto, "lodging", "lodging_id"),
               domain_photo=_first_photo(DomainPhoto, "domain", "lodging__domain_id"))


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


def _experience_page_queryset(experiences: QuerySet[Experience], query: SearchQuery) -> QuerySet[Experience]:
    if query.sort == "relevance":
        experiences = experiences.order_by("-domain__monument_verified", "next_session", "price_per_person", "id")
    else:
        experiences = experiences.order_by("price_per_person", "id")
    return experiences.select_related("domain").only(
        "id", "title", "slug", "category", "price_per_person", "duration_minutes", "booking_mode", "domain_id",
        *[f"domain__{f}" for f in DOMAIN_CARD_FIELDS],
    ).annotate(photo=_first_photo(ExperiencePhoto, "experience", "pk"),
               domain_photo=_first_photo(DomainPhoto, "domain", "domain_id"))


def search(query: SearchQuery, *, now: datetime, page_size: int = 20) -> SearchResult:
    """Two queries whatever the number of results: a count capped at COUNT_CAP + 1 and the page."""
    if query.kind == "experience":
        matching = experience_queryset(query, now=now)
        page_qs = _experience_page_queryset(matching, query)
    else:
        matching = stay_units(query)
        page_qs = _stay_page_queryset(matching, query)
    offset = (query.page - 1) * page_size
    count = matching.order_by().values("pk")[: max(COUNT_CAP, offset + page_size) + 1].count()
    rows = list(page_qs[offset:offset + page_size]) if offset < count else []
    return SearchResult(rows=rows, count=count, page=query.page, page_size=page_size)
