"""The offers' schema.org JSON-LD (LodgingBusiness for a domain, Product with offers for a
stay, Event for each experience session) and each public page's SeoHead (core/seo.py)."""
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.localized import localized
from core.seo import DESCRIPTION_LENGTH, SeoHead, absolute, describe, for_page, home_crumb, seo_head

from .templatetags.public_tags import photo_src

__all__ = ["SeoHead", "for_page"]


# --- schema.org ---------------------------------------------------------------------------

def _price(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def _address(domain) -> dict:
    address = {"@type": "PostalAddress", "addressCountry": "FR"}
    for key, value in (("streetAddress", domain.address_line), ("postalCode", domain.postal_code),
                       ("addressLocality", domain.commune), ("addressRegion", domain.get_region_display())):
        if value:
            address[key] = str(value)
    return address


def _geo(domain) -> dict | None:
    if domain.latitude is None or domain.longitude is None:
        return None
    return {"@type": "GeoCoordinates", "latitude": float(domain.latitude), "longitude": float(domain.longitude)}


def _rating(summary) -> dict | None:
    if summary is None or not summary.count or summary.average is None:
        return None
    return {"@type": "AggregateRating", "ratingValue": str(summary.average), "reviewCount": summary.count,
            "bestRating": "5", "worstRating": "1"}


def _social(photo) -> str:
    """The photo's link-preview size; "" (the site's default image) while it is being resized."""
    return photo_src(photo, "social") if photo is not None and photo.is_ready else ""


def _images(photos) -> list[str]:
    return [absolute(src) for src in (_social(photo) for photo in photos) if src][:5]


def _clean(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def domain_place(domain, *, url: str, summary=None) -> dict:
    """The domain as the place that lodges (or welcomes) its guests."""
    prices = [lodging.price_from for lodging in getattr(domain, "public_lodgings", []) if lodging.price_from]
    return _clean({
        "@context": "https://schema.org", "@type": "LodgingBusiness", "name": domain.name, "url": url,
        "description": describe(localized(domain, "history").text, 300),
        "image": _images(domain.photos.all()), "address": _address(domain), "geo": _geo(domain),
        "priceRange": (f"{_price(min(prices))}–{_price(max(prices))} EUR" if prices else None),
        "aggregateRating": _rating(summary),
    })


def lodging_product(lodging, *, url: str, kind: str, summary=None) -> dict:
    """A stay as a Product whose offers are its rooms (or the whole gîte) at their nightly price."""
    units = list(getattr(lodging, "public_units", []))
    prices = [unit.nightly_price for unit in units]
    offers = None
    if prices:
        offers = {"@type": "AggregateOffer", "priceCurrency": "EUR", "lowPrice": _price(min(prices)),
                  "highPrice": _price(max(prices)), "offerCount": len(prices), "url": url,
                  "availability": "https://schema.org/InStock",
                  "unitText": _("la nuit")}
    return _clean({
        "@context": "https://schema.org", "@type": "Product", "name": localized(lodging, "title").text,
        "url": url, "description": describe(localized(lodging, "description").text, 300),
        "image": _images(lodging.photos.all()), "category": kind,
        "brand": {"@type": "Brand", "name": lodging.domain.name}, "offers": offers,
        "aggregateRating": _rating(summary),
    })


def experience_events(experience, *, url: str, sessions, summary=None) -> list[dict]:
    """One Event per upcoming session (those the page lists)."""
    domain = experience.domain
    title = localized(experience, "title").text
    description = describe(localized(experience, "description").text, 300)
    images = _images(experience.photos.all())
    location = _clean({"@type": "Place", "name": domain.name, "address": _address(domain), "geo": _geo(domain)})
    events = []
    for session in sessions:
        free = max(session.capacity - session.places_taken, 0)
        events.append(_clean({
            "@context": "https://schema.org", "@type": "Event", "name": title, "description": description,
            "url": url, "image": images, "startDate": session.start.isoformat(), "endDate": session.end.isoformat(),
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": location, "organizer": {"@type": "Organization", "name": domain.name},
            "offers": {"@type": "Offer", "price": _price(experience.price_per_person), "priceCurrency": "EUR",
                       "url": url,
                       "availability": ("https://schema.org/InStock" if free else "https://schema.org/SoldOut")},
            "aggregateRating": _rating(summary),
        }))
    for event in events:
        event["offers"] = _clean(event["offers"])
    return events


def website() -> dict:
    return {"@context": "https://schema.org", "@type": "WebSite", "name": "Alma Heritage",
            "url": absolute(reverse("home")), "inLanguage": get_language() or settings.LANGUAGE_CODE}


# --- each public page ---------------------------------------------------------------------

def for_home(request: HttpRequest) -> SeoHead:
    return seo_head(request, title=_("Séjours et expériences au cœur du patrimoine"),
                    description=_("Châteaux, moulins, prieurés, manoirs : réservez un séjour ou une expérience "
                                  "chez ceux qui font vivre ces lieux."),
                    json_ld=[website()])


def for_search(request: HttpRequest, *, title: str, filters: dict) -> SeoHead:
    """A search keeps its filters in the canonical URL (a region's stays are a page of their
    own), never its dates or party, which change nothing worth indexing."""
    kept = sorted((name, value) for name, value in filters.items()
                  if value and name in ("kind", "region", "departement", "heritage_kind", "label", "page")
                  and not (name == "page" and value == "1"))
    return seo_head(request, title=title, query="?" + urlencode(kept) if kept else "",
                    description=_("Cherchez un séjour ou une expérience dans un lieu historique : dates, voyageurs, "
                                  "région, type de lieu, labels."),
                    breadcrumbs=[home_crumb(), (title, request.path)])


def for_domain(request: HttpRequest, domain, *, summary=None) -> SeoHead:
    photo = next(iter(domain.photos.all()), None)
    place = " · ".join(str(part) for part in (domain.get_heritage_kind_display(), domain.commune) if part)
    text = describe(localized(domain, "history").text, DESCRIPTION_LENGTH - len(place) - 3)
    url = absolute(request.path)
    return seo_head(request, title=domain.name, description=f"{place} — {text}" if text else place,
                    image=_social(photo), image_alt=localized(photo, "caption").text if photo else "",
                    json_ld=[domain_place(domain, url=url, summary=summary)],
                    breadcrumbs=[home_crumb(), (domain.name, request.path)])


def for_lodging(request: HttpRequest, lodging, *, summary=None) -> SeoHead:
    domain = lodging.domain
    photo = next(iter(lodging.photos.all()), None)
    title = localized(lodging, "title").text
    place = ", ".join(str(part) for part in (domain.name, domain.commune) if part)
    kind = lodging.get_kind_display()
    lead = f"{kind} · {place}"
    text = describe(localized(lodging, "description").text, DESCRIPTION_LENGTH - len(lead) - 3)
    return seo_head(request, title=f"{title} · {domain.name}", description=f"{lead} — {text}" if text else lead,
                    image=_social(photo), image_alt=localized(photo, "caption").text if photo else title,
                    og_type="product", json_ld=[lodging_product(lodging, url=absolute(request.path), kind=kind, summary=summary)],
                    breadcrumbs=[home_crumb(), (domain.name, reverse("domain_detail", args=[domain.slug])),
                                 (title, request.path)])


def for_experience(request: HttpRequest, experience, *, sessions, summary=None) -> SeoHead:
    domain = experience.domain
    photo = next(iter(experience.photos.all()), None)
    title = localized(experience, "title").text
    lead = f"{experience.get_category_display()} · {domain.name}"
    text = describe(localized(experience, "description").text, DESCRIPTION_LENGTH - len(lead) - 3)
    return seo_head(request, title=f"{title} · {domain.name}", description=f"{lead} — {text}" if text else lead,
                    image=_social(photo), image_alt=localized(photo, "caption").text if photo else title,
                    json_ld=experience_events(experience, url=absolute(request.path), sessions=sessions,
                                              summary=summary),
                    breadcrumbs=[home_crumb(), (domain.name, reverse("domain_detail", args=[domain.slug])),
                                 (title, request.path)])
