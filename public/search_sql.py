"""The stay search on PostgreSQL as one precompiled SQL statement per page, returning the
page's card rows and the capped count together (docs/performance.md#search).

Why not the ORM: building the two querysets of `search.search` cost ~5 ms of Python per
request, more than PostgreSQL spends answering. The statement is written once per *shape*
of query (which filters are present; a dozen shapes in practice) and kept in `_STATEMENTS`;
a request only fills in the parameters. Availability is one test on the unit's own row,
`NOT (u.occupied && daterange(arrival, departure))` (bookings/occupancy.py), so PostgreSQL
walks the `unit_search` index (is_listed, region, nightly_price, id) in price order, keeps
the free units and stops at COUNT_CAP + 1.

That walk is only chosen because the stay is given as a scalar subquery. Given as a
constant, PostgreSQL's multirange statistics, which look at each unit's whole span of
dates, made it expect `NOT (occupied && stay)` to keep ~2 % of the units (most are free)
and sort every unit of the region instead: 4× slower at 15,000 units, 40× at 150,000. A
value it cannot see gets the default estimate of an overlap (0.5 %), so ~99 % free. This
replaced switching sorts and bitmap scans off around the statement (three SET LOCAL and
three RESET a search, ~0.2 ms).

The rows have the keys of the ORM path's `values()` (search._stay_cards), so `cards.stay_card`
builds the same dicts; `public/tests/test_search_sql.py` compares both paths on random data.
"""
import math
from datetime import date

from django.db import connection

from domains.models import BookingMode, MonumentProtection, OfferStatus
from lodgings.models import Unit

from . import cards

EARTH_RADIUS_KM = 6371.0
_STATEMENTS: dict[tuple, str] = {}

_DOMAIN_FIELDS = ["id", "name", "slug", "heritage_kind", "commune", "departement", "region", "latitude",
                  "longitude", "monument_protection", "monument_verified"]
_COLUMNS = (
    ["u.id", "u.name", "u.nightly_price", "u.max_guests", "l.title", "l.slug", "l.kind", "l.booking_mode",
     "r.average", "r.count", "l.cleaning_fee", "l.title_en"]
    + [f"d.{f}" for f in _DOMAIN_FIELDS]
    + ["(SELECT p.card FROM lodgings_lodgingphoto p WHERE p.lodging_id = l.id ORDER BY p.position, p.id LIMIT 1)",
       "(SELECT p.card FROM domains_domainphoto p WHERE p.domain_id = d.id ORDER BY p.position, p.id LIMIT 1)"]
)
_KEYS = (["id", "name", "nightly_price", "max_guests", "lodging__title", "lodging__slug", "lodging__kind",
          "lodging__booking_mode", "lodging__rating__average", "lodging__rating__count", "lodging__cleaning_fee",
          "lodging__title_en"]
         + [f"lodging__domain__{f}" for f in _DOMAIN_FIELDS] + ["photo", "domain_photo"])


def available() -> bool:
    return connection.vendor == "postgresql"


def _shape(query) -> tuple:
    return (bool(query.region), bool(query.departement), bool(query.commune), bool(query.text),
            bool(query.heritage_kind), query.protection or "", query.near is not None, query.price_min is not None,
            query.price_max is not None, query.instant_only, len(query.labels), len(query.amenities),
            bool(query.arrival and query.departure), query.sort == "relevance")


def _statement(shape: tuple) -> str:
    (region, departement, commune, text, heritage_kind, protection, near, price_min, price_max, instant,
     n_labels, n_amenities, dates, relevance) = shape
    where = ["u.is_listed", f"l.status = '{OfferStatus.PUBLISHED}'", f"d.status = '{OfferStatus.PUBLISHED}'",
             "u.max_guests >= %(guests)s"]
    if region:
        where.append("u.region = %(region)s")
    if departement:
        where.append("d.departement = %(departement)s")
    if commune:  # core.text.search_key, word prefix: "montoire" finds "montoire sur le loir"
        where.append("(d.commune_key = %(commune)s OR d.commune_key LIKE %(commune_prefix)s)")
    if text:  # any word of a name or the commune starting with the text
        where.append("(" + " OR ".join(f"{column} LIKE %(text_start)s OR {column} LIKE %(text_word)s"
                                       for column in ("d.name_key", "d.commune_key", "l.title_key")) + ")")
    if heritage_kind:
        where.append("d.heritage_kind = %(heritage_kind)s")
    if protection:
        kinds = [MonumentProtection.CLASSE, MonumentProtection.INSCRIT] if protection == "any" else [protection]
        where.append("d.monument_verified AND d.monument_protection IN ("
                     + ", ".join(f"'{kind}'" for kind in kinds if kind.isalpha()) + ")")
    if near:
        where.append("d.latitude BETWEEN %(lat_min)s AND %(lat_max)s AND d.longitude BETWEEN %(lng_min)s AND %(lng_max)s")
        where.append("acos(least(%(cos_lat0)s * cos(radians(d.latitude::float)) * cos(radians(d.longitude::float)"
                     " - %(lng0)s) + %(sin_lat0)s * sin(radians(d.latitude::float)), 1.0)) * "
                     f"{EARTH_RADIUS_KM} <= %(radius)s")
    if price_min:
        where.append("u.nightly_price >= %(price_min)s")
    if price_max:
        where.append("u.nightly_price <= %(price_max)s")
    if instant:
        where.append(f"l.booking_mode = '{BookingMode.INSTANT}'")
    for i in range(n_labels):
        where.append("EXISTS (SELECT 1 FROM domains_domainlabel dl JOIN domains_label lb ON lb.id = dl.label_id "
                     f"WHERE dl.domain_id = d.id AND dl.verified AND lb.slug = %(label_{i})s)")
    for i in range(n_amenities):
        where.append("EXISTS (SELECT 1 FROM lodgings_lodging_amenities la JOIN lodgings_amenity a "
                     f"ON a.id = la.amenity_id WHERE la.lodging_id = l.id AND a.code = %(amenity_{i})s)")
    if dates:  # bookings.rules.stay_dates_q, then the occupied nights
        where.append("l.advance_notice_days <= %(notice)s AND l.min_nights <= %(nights)s "
                     "AND l.max_nights >= %(nights)s AND l.arrival_weekdays LIKE %(arrival_weekday)s "
                     "AND l.departure_weekdays LIKE %(departure_weekday)s")
        # The stay as a scalar subquery, so that the planner does not see its value (see the
        # module's docstring): it then expects most units to be free, as they are.
        where.append("NOT (u.occupied && (SELECT daterange(%(arrival)s, %(departure)s)))")
    if relevance:
        rank = (f"(CASE WHEN d.monument_verified THEN 2 ELSE 0 END + "
                f"CASE WHEN l.booking_mode = '{BookingMode.INSTANT}' THEN 1 ELSE 0 END)")
        order, outer_order = f"{rank} DESC, u.nightly_price, u.id", "m.rank DESC, m.nightly_price, m.id"
        rank_column = f", {rank} AS rank"
    else:
        order, outer_order, rank_column = "u.nightly_price, u.id", "m.nightly_price, m.id", ""
    sql = f"""
WITH matching AS MATERIALIZED (
    SELECT u.id, u.nightly_price{rank_column}
      FROM {Unit._meta.db_table} u
      JOIN lodgings_lodging l ON l.id = u.lodging_id
      JOIN domains_domain d ON d.id = l.domain_id
     WHERE {chr(10).join(("       AND " if i else "") + w for i, w in enumerate(where)).lstrip()}
     ORDER BY {order}
     LIMIT %(limit)s
), page AS (
    SELECT m.id, row_number() OVER (ORDER BY {outer_order}) AS place FROM matching m
     ORDER BY {outer_order} LIMIT %(page_size)s OFFSET %(offset)s
)
SELECT (SELECT count(*) FROM matching), {", ".join(_COLUMNS)}
  FROM (SELECT 1) AS one
  LEFT JOIN page ON true
  LEFT JOIN {Unit._meta.db_table} u ON u.id = page.id
  LEFT JOIN lodgings_lodging l ON l.id = u.lodging_id
  LEFT JOIN domains_domain d ON d.id = l.domain_id
  LEFT JOIN reviews_offerrating r ON r.lodging_id = l.id
 ORDER BY page.place"""
    return sql


def _parameters(query, *, today: date, limit: int, offset: int, page_size: int) -> dict:
    from core.text import search_key

    params = {"guests": query.guests, "region": query.region, "departement": query.departement,
              "heritage_kind": query.heritage_kind, "price_min": query.price_min, "price_max": query.price_max,
              "limit": limit, "offset": offset, "page_size": page_size}
    if query.commune:
        commune = search_key(query.commune)
        params.update(commune=commune, commune_prefix=commune + " %")
    if query.text:
        text = search_key(query.text)
        params.update(text_start=text + "%", text_word="% " + text + "%")
    for i, slug in enumerate(query.labels):
        params[f"label_{i}"] = slug
    for i, code in enumerate(query.amenities):
        params[f"amenity_{i}"] = code
    if query.near:
        lat, lng, radius = float(query.near[0]), float(query.near[1]), query.near[2]
        dlat, dlng = radius / 111.0, radius / (111.0 * max(math.cos(math.radians(lat)), 0.01))
        params.update(lat_min=lat - dlat, lat_max=lat + dlat, lng_min=lng - dlng, lng_max=lng + dlng,
                      cos_lat0=math.cos(math.radians(lat)), sin_lat0=math.sin(math.radians(lat)),
                      lng0=math.radians(lng), radius=radius)
    if query.arrival and query.departure:
        params.update(arrival=query.arrival, departure=query.departure, nights=(query.departure - query.arrival).days,
                      notice=(query.arrival - today).days, arrival_weekday=f"%{query.arrival.isoweekday()}%",
                      departure_weekday=f"%{query.departure.isoweekday()}%")
    return params


def stay_page(query, *, today: date, limit: int, offset: int, page_size: int) -> tuple[list[dict], int]:
    """The page's cards and the number of matches (capped at `limit`), in one round trip."""
    if query.arrival and query.departure and (query.departure <= query.arrival or query.arrival < today):
        return [], 0  # stay_dates_q: no unit accepts past or reversed dates
    shape = _shape(query)
    sql = _STATEMENTS.get(shape)
    if sql is None:
        sql = _STATEMENTS[shape] = _statement(shape)
    with connection.cursor() as cursor:
        cursor.execute(sql, _parameters(query, today=today, limit=limit, offset=offset, page_size=page_size))
        rows = cursor.fetchall()
    count = rows[0][0] if rows else 0
    return [cards.stay_card(dict(zip(_KEYS, row[1:], strict=True))) for row in rows if row[1] is not None], count
