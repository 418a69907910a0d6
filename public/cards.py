"""Search result cards as plain dicts with everything a card shows already worked out, so
the template only prints (the search page renders 20 of them per request). Labels are plain
strings in the active language, never lazy translations: cached results are pickled, and
pickling lazy objects cost 2.1 ms a page (issue 14)."""
from functools import lru_cache

from django.utils.translation import get_language

from bookings.pricing import price_of_nights
from core.links import url_with
from core.localized import SOURCE_LANGUAGE, page_language
from domains.models import BookingMode, HeritageKind, MonumentProtection
from experiences.models import Category
from lodgings.models import LodgingKind

HERITAGE = dict(HeritageKind.choices)
PROTECTION = dict(MonumentProtection.choices)
LODGING_KIND = dict(LodgingKind.choices)
CATEGORY = dict(Category.choices)


@lru_cache(maxsize=8)
def _labels(language: str) -> dict[str, dict]:
    """The choices' labels as plain strings in `language`: a lazy label costs a translation
    lookup each time it is printed, 60 times a page."""
    return {"heritage": {k: str(v) for k, v in HERITAGE.items()}, "protection": {k: str(v) for k, v in PROTECTION.items()},
            "lodging_kind": {k: str(v) for k, v in LODGING_KIND.items()}, "category": {k: str(v) for k, v in CATEGORY.items()}}


def _domain(row: dict, prefix: str, labels: dict) -> dict:
    protection = row[f"{prefix}monument_protection"]
    return {
        "name": row[f"{prefix}name"],
        "heritage": labels["heritage"].get(row[f"{prefix}heritage_kind"], ""),
        "commune": row[f"{prefix}commune"],
        "badge": labels["protection"].get(protection, "") if protection and row[f"{prefix}monument_verified"] else "",
        "lat": row[f"{prefix}latitude"], "lng": row[f"{prefix}longitude"],
    }


def _rating(average, count) -> dict | None:
    """The offer's visible reviews (reviews.OfferRating, joined in the card query)."""
    return {"average": average, "count": count} if count else None


def _title(french: str, english: str | None, language: str) -> tuple[str, str]:
    """The offer's title in the page's language when the owner wrote it, else the French one
    and its language for the card's lang attribute (core.localized; the results cache is kept
    per language)."""
    if page_language(language) == SOURCE_LANGUAGE:
        return french, ""
    return (english, "") if english else (french, SOURCE_LANGUAGE)


def stay_card(row: dict) -> dict:
    # The active language read once a card (get_language() costs ~2.5 µs: 60 times a page).
    language = get_language()
    labels = _labels(language)
    title, title_lang = _title(row["lodging__title"], row.get("lodging__title_en"), language)
    map_title = title
    if row["lodging__kind"] == LodgingKind.CHAMBRES_HOTES:
        title = f"{title} – {row['name']}"
    return {
        "id": row["id"], "kind": "stay", "title": title, "title_lang": title_lang, "map_title": map_title,
        "url": url_with("lodging_detail", row["lodging__slug"]),
        "subtitle": labels["lodging_kind"].get(row["lodging__kind"], ""), "guests": row["max_guests"],
        "price": row["nightly_price"], "instant": row["lodging__booking_mode"] == BookingMode.INSTANT,
        "photo": row["photo"] or row["domain_photo"] or "", "domain": _domain(row, "lodging__domain__", labels),
        "rating": _rating(row["lodging__rating__average"], row["lodging__rating__count"]),
        "cleaning_fee": row.get("lodging__cleaning_fee"),
    }


def with_stay_totals(rows: list[dict], query) -> list[dict]:
    """The stay's price for the searched dates on each card (bookings.pricing.price_of_nights:
    nights and cleaning, the taxe de séjour apart), from the card's own columns: no query."""
    if not (query.arrival and query.departure):
        return rows
    nights = (query.departure - query.arrival).days
    totals = []
    for row in rows:
        if row.get("cleaning_fee") is None:
            totals.append(row)
            continue
        totals.append({**row, "total": price_of_nights(row["price"], row["cleaning_fee"], nights).total,
                       "nights": nights})
    return totals


def experience_card(row: dict) -> dict:
    language = get_language()
    labels = _labels(language)
    title, title_lang = _title(row["title"], row.get("title_en"), language)
    return {
        "id": row["id"], "kind": "experience", "title": title, "title_lang": title_lang, "map_title": title,
        "url": url_with("experience_detail", row["slug"]),
        "subtitle": labels["category"].get(row["category"], ""), "minutes": row["duration_minutes"],
        "price": row["price_per_person"], "instant": row["booking_mode"] == BookingMode.INSTANT,
        "next_session": row["next_session"],
        "photo": row["photo"] or row["domain_photo"] or "", "domain": _domain(row, "domain__", labels),
        "rating": _rating(row["rating__average"], row["rating__count"]),
    }
